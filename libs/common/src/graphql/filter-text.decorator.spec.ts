import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { FILTER_TEXT_MAX_LENGTH, FilterText, FilterTextList } from './filter-text.decorator';

class Probe {
  @FilterText() cluster?: string;
  @FilterText({ id: true }) uuid?: string;
  @FilterTextList({ maxItems: 2 }) nodes?: string[];
}

const problems = (value: Record<string, unknown>) =>
  validateSync(plainToInstance(Probe, value)).flatMap((e) => Object.keys(e.constraints ?? {}));

describe('FilterText', () => {
  it('accepts absent values and any text up to the DNS-name limit, refuses longer text and non-strings', () => {
    expect(problems({})).toEqual([]);
    expect(problems({ cluster: 'a"}or vector(1)#', uuid: 'x'.repeat(FILTER_TEXT_MAX_LENGTH) })).toEqual([]);
    expect(problems({ cluster: 'x'.repeat(FILTER_TEXT_MAX_LENGTH + 1) })).toEqual(['maxLength']);
    expect(problems({ uuid: 42 })).toEqual(expect.arrayContaining(['isString']));
  });
});

describe('FilterTextList', () => {
  it('accepts an absent list and up to maxItems names, refuses a longer list, a long name and a non-list', () => {
    expect(problems({ nodes: ['a', 'x'.repeat(FILTER_TEXT_MAX_LENGTH)] })).toEqual([]);
    expect(problems({ nodes: ['a', 'b', 'c'] })).toEqual(['arrayMaxSize']);
    expect(problems({ nodes: ['x'.repeat(FILTER_TEXT_MAX_LENGTH + 1)] })).toEqual(['maxLength']);
    expect(problems({ nodes: 'a' })).toEqual(expect.arrayContaining(['isArray']));
  });
});
