import { DomainError } from '@kcloud/common';
import { chooseStep, pointsIn } from './step';

describe('chooseStep', () => {
  it.each<[string, number, number, number, number | undefined, number]>([
    ['one hour, small fleet: one minute', 3600, 20, 1_000_000, undefined, 60],
    ['a day: ~720 points', 86_400, 20, 1_000_000, undefined, 120],
    ['a week: ~720 points', 604_800, 20, 1_000_000, undefined, 840],
    ['a week of 10,000 GPUs: coarser to fit the cap', 604_800, 10_000, 1_000_000, undefined, 6110],
    ['an empty range', 0, 20, 1_000_000, undefined, 60],
    ['an explicit step is kept', 3600, 20, 1_000_000, 15, 15],
  ])('%s', (_what, range, series, cap, requested, step) => {
    const choice = chooseStep(range, series, cap, requested);
    expect(choice.stepSeconds).toBe(step);
    expect(choice.estimatedRows).toBe(pointsIn(range, step) * series);
    expect(choice.estimatedRows).toBeLessThanOrEqual(cap);
  });

  it('fits exactly one point per series when that is all the cap allows', () => {
    expect(chooseStep(3600, 600, 1000, undefined)).toEqual({ stepSeconds: 3601, estimatedRows: 600 });
  });

  it('rejects an explicit step over the cap naming step, a fleet too big for one point naming cluster', () => {
    const argumentOf = (run: () => unknown): unknown => {
      try {
        run();
      } catch (e) {
        expect(e).toBeInstanceOf(DomainError);
        return (e as DomainError).details.argument;
      }
    };
    expect(argumentOf(() => chooseStep(86_400, 100, 10_000, 1))).toBe('step');
    expect(argumentOf(() => chooseStep(3600, 2000, 1000, undefined))).toBe('cluster');
  });
});
