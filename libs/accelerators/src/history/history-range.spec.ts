import { requestedFields } from './history-range';

describe('requestedFields', () => {
  const all = ['a', 'b', 'c'] as const;
  it('keeps the fields named, in the fields’ order', () => {
    expect(requestedFields(all, ['c', 'a'])).toEqual(['a', 'c']);
  });
  it('gives every field when metrics names none (absent or empty)', () => {
    expect(requestedFields(all, undefined)).toEqual(all);
    expect(requestedFields(all, [])).toEqual(all);
  });
});
