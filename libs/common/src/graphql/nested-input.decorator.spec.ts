import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { type ValidationError, validateSync } from 'class-validator';
import { FILTER_TEXT_MAX_LENGTH, FilterText } from './filter-text.decorator';
import { NestedInput } from './nested-input.decorator';
import { FilteredPageArgs } from './page.args';

class ProbeFilter {
  @FilterText() cluster?: string;
}
class ProbeArgs extends FilteredPageArgs(ProbeFilter) {}
class ProbeRange {
  @NestedInput(() => ProbeFilter, { required: true }) range!: ProbeFilter;
}

/** `path:constraint` for every failed rule, nested ones included. */
function problems(errors: readonly ValidationError[], prefix = ''): string[] {
  return errors.flatMap((e) => [
    ...Object.keys(e.constraints ?? {}).map((c) => `${prefix}${e.property}:${c}`),
    ...problems(e.children ?? [], `${prefix}${e.property}.`),
  ]);
}
const check = <T extends object>(cls: new () => T, value: object) =>
  problems(validateSync(plainToInstance(cls, value)));

describe('FilteredPageArgs', () => {
  it('builds the filter as its input class so the filter’s own bounds apply, and keeps the page bounds', () => {
    const args = plainToInstance(ProbeArgs, { first: 5, filter: { cluster: 'a' } });
    expect(args.filter).toBeInstanceOf(ProbeFilter);
    expect(check(ProbeArgs, {})).toEqual([]);
    expect(check(ProbeArgs, { filter: { cluster: 'x'.repeat(FILTER_TEXT_MAX_LENGTH + 1) } })).toEqual([
      'filter.cluster:maxLength',
    ]);
    expect(check(ProbeArgs, { first: -1 })).toEqual(['first:min']);
  });
});

describe('NestedInput', () => {
  it('validates the nested input with its own rules', () => {
    expect(check(ProbeRange, { range: { cluster: 'a' } })).toEqual([]);
    expect(check(ProbeRange, { range: { cluster: 'x'.repeat(FILTER_TEXT_MAX_LENGTH + 1) } })).toEqual([
      'range.cluster:maxLength',
    ]);
  });
});
