import { inScope, narrow } from './tenant-scope';

describe('tenant scope', () => {
  it('narrows a request to the allowed values, empty when nothing overlaps', () => {
    expect(narrow(['a', 'b'], ['b', 'c'])).toEqual(['b']);
    expect(narrow(['x'], ['b'])).toEqual([]);
    expect(narrow(undefined, ['b'])).toEqual(['b']);
    expect(narrow(['x'], undefined)).toEqual(['x']);
  });

  it('hides unallocated devices from a namespace-scoped key', () => {
    expect(inScope({ namespaces: ['team-a'] }, 'c1', undefined)).toBe(false);
    expect(inScope({ namespaces: ['team-a'] }, 'c1', 'team-a')).toBe(true);
    expect(inScope({ clusters: ['c2'] }, 'c1', 'team-a')).toBe(false);
    expect(inScope({}, 'c1', undefined)).toBe(true);
  });
});
