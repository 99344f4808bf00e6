import { InvalidReadingReason } from './reading-quality';
import { classifyReading, exceedsCapacity, ReadingJudge, type ReadingField } from './reading-value';

const { DCGM_BLANK, NOT_A_NUMBER, OUT_OF_RANGE, ABOVE_CAPACITY } = InvalidReadingReason;

describe('classifyReading', () => {
  // [field, raw value as the exporter / Prometheus prints it, expected reason or the served value]
  const cases: readonly [ReadingField, number, InvalidReadingReason | number][] = [
    // DCGM int32 blank (0x7ffffff0) and its NOT_FOUND / NOT_SUPPORTED / NOT_PERMISSIONED neighbours up to 0x7fffffff.
    ['temperatureCelsius', 2147483632, DCGM_BLANK],
    ['temperatureCelsius', 2147483634, DCGM_BLANK],
    ['utilizationPercent', 2147483647, DCGM_BLANK],
    ['memoryUsedMiB', 2147483635, DCGM_BLANK],
    // DCGM int64 blank as Prometheus answers it (float64 cannot hold 0x7ffffffffffffff0 exactly).
    ['temperatureCelsius', Number('9223372036854775794'), DCGM_BLANK],
    ['temperatureCelsius', Number('9.223372036854776e18'), DCGM_BLANK],
    ['energyJoules', Number('9223372036854775792'), DCGM_BLANK],
    ['smClockMHz', Number('18446744073709551615'), DCGM_BLANK],
    // NVML's 0xFFFFFFFF.
    ['memoryUsedMiB', 4294967295, DCGM_BLANK],
    ['powerWatts', 4294967295, DCGM_BLANK],
    // FP64 blank 2^47 and above (NOT_FOUND… at +1, +2, +3; float blanks near 1e38).
    ['powerWatts', 140737488355328, DCGM_BLANK],
    ['powerWatts', 140737488355331, DCGM_BLANK],
    ['grEngineActiveRatio', 1.4e38, DCGM_BLANK],
    ['temperatureCelsius', 1.4e38, DCGM_BLANK],
    // NaN and infinities.
    ['powerWatts', NaN, NOT_A_NUMBER],
    ['temperatureCelsius', Infinity, NOT_A_NUMBER],
    ['energyJoules', -Infinity, NOT_A_NUMBER],
    // Physically impossible.
    ['temperatureCelsius', 201, OUT_OF_RANGE],
    ['temperatureCelsius', -51, OUT_OF_RANGE],
    ['utilizationPercent', 100.5, OUT_OF_RANGE],
    ['utilizationPercent', -1, OUT_OF_RANGE],
    ['grEngineActiveRatio', 1.2, OUT_OF_RANGE],
    ['powerWatts', -3, OUT_OF_RANGE],
    ['energyJoules', -1, OUT_OF_RANGE],
    ['smClockMHz', -1, OUT_OF_RANGE],
    ['memoryUsedMiB', -1, OUT_OF_RANGE],
    ['ipmi.fan', -100, OUT_OF_RANGE],
    // Real readings pass unchanged.
    ['temperatureCelsius', 26, 26],
    ['temperatureCelsius', -10, -10],
    ['temperatureCelsius', 200, 200],
    // Float noise at a range's end is not an impossible reading.
    ['utilizationPercent', 100.00000000000001, 100.00000000000001],
    ['grEngineActiveRatio', 1.0000000000000002, 1.0000000000000002],
    ['utilizationPercent', 0, 0],
    ['utilizationPercent', 100, 100],
    ['memoryUsedMiB', 71232, 71232],
    ['powerWatts', 67.351, 67.351],
    ['grEngineActiveRatio', 0.85, 0.85],
    ['ipmi.voltage', -12.1, -12.1],
    // A 64-bit counter legitimately passes the int32 and fp64 blank values.
    ['energyJoules', 2147483632, 2147483632],
    ['energyJoules', 4294967295, 4294967295],
    ['energyJoules', 140737488355328, 140737488355328],
  ];

  it.each(cases)('%s = %p → %p', (field, raw, expected) => {
    const verdict = classifyReading(field, raw);
    if (typeof expected === 'number') expect(verdict).toEqual({ ok: true, value: expected });
    else expect(verdict).toEqual({ ok: false, reason: expected });
  });

  it('checks sentinels on the raw value and the range on the converted one', () => {
    // Energy in mJ: the int64 blank is judged before the division, the result in joules.
    expect(classifyReading('energyJoules', Number('9223372036854775794'), (mj) => mj / 1000)).toEqual({
      ok: false,
      reason: DCGM_BLANK,
    });
    expect(classifyReading('energyJoules', 5_000_000, (mj) => mj / 1000)).toEqual({ ok: true, value: 5000 });
    // A ratio read as percent: 1.5 → 150 % is out of range.
    expect(classifyReading('utilizationPercent', 1.5, (r) => r * 100)).toEqual({
      ok: false,
      reason: OUT_OF_RANGE,
    });
  });

  it('refuses a window average that a blank has dragged far out of range', () => {
    // One int32 blank among 40 scrapes of a 50 % utilisation.
    expect(classifyReading('utilizationPercent', (2147483632 + 39 * 50) / 40)).toEqual({
      ok: false,
      reason: OUT_OF_RANGE,
    });
    expect(classifyReading('memoryUsedMiB', (4294967295 + 39 * 1000) / 40)).toEqual({
      ok: false,
      reason: OUT_OF_RANGE,
    });
  });
});

describe('exceedsCapacity', () => {
  it.each([
    [81920, 81559, true],
    [100, 81559, false],
    [100, undefined, false],
    [undefined, 100, false],
    [100, 0, false],
  ] as const)('used %p of %p → %p', (used, capacity, expected) => {
    expect(exceedsCapacity(used, capacity)).toBe(expected);
  });
});

describe('ReadingJudge', () => {
  it('keeps good values, refuses bad ones once per field, and says nothing for a clean sample', () => {
    const clean = new ReadingJudge();
    expect(clean.read('powerWatts', 300)).toBe(300);
    expect(clean.read('powerWatts', undefined)).toBeUndefined();
    expect(clean.invalidReadings).toBeUndefined();

    const judge = new ReadingJudge();
    expect(judge.read('temperatureCelsius', Number('9223372036854775794'))).toBeUndefined();
    expect(judge.capped('memoryUsedMiB', 90000, 81920)).toBeUndefined();
    expect(judge.capped('memoryUsedMiB', 1000, 81920)).toBe(1000);
    judge.refuse('temperatureCelsius', OUT_OF_RANGE);
    expect(judge.invalidReadings).toEqual([
      { field: 'temperatureCelsius', reason: DCGM_BLANK },
      { field: 'memoryUsedMiB', reason: ABOVE_CAPACITY },
    ]);
  });
});
