import { baseJoules, PowerLedger } from './power-ledger';

describe('PowerLedger', () => {
  const tickMs = 10_000;
  // Watts per bucket: a step function the counters must integrate exactly.
  const watts = (bucket: number): Map<string, number> =>
    new Map([
      ['a', 100 + 10 * (bucket % 3)],
      ['b', bucket >= 12 ? 5 : 0],
    ]);

  it('integrates bucket power exactly: counters grow by watts × seconds and never go down', () => {
    const ledger = new PowerLedger(10, tickMs, watts);
    const at = (ms: number) => ledger.energyAt(ms).get('a')!;
    expect(at(100_000)).toBeCloseTo(baseJoules('a'), 6);
    expect(at(105_000) - at(100_000)).toBeCloseTo(110 * 5, 6); // bucket 10: 110 W for 5 s
    expect(at(125_000) - at(105_000)).toBeCloseTo(110 * 5 + 120 * 10 + 100 * 5, 6);
    let previous = 0;
    for (let t = 100_000; t < 200_000; t += 3_300) {
      const e = at(t);
      expect(e).toBeGreaterThanOrEqual(previous);
      previous = e;
    }
  });

  it('answers a time behind its cursor by recomputing from the origin, with the same result', () => {
    const forward = new PowerLedger(10, tickMs, watts);
    const fresh = new PowerLedger(10, tickMs, watts);
    forward.energyAt(190_000);
    expect(forward.energyAt(123_456).get('a')).toBeCloseTo(fresh.energyAt(123_456).get('a')!, 6);
  });

  it('starts a series that appears later from its base, and extrapolates before the origin', () => {
    const ledger = new PowerLedger(10, tickMs, watts);
    expect(ledger.energyAt(125_000).get('b')).toBeCloseTo(baseJoules('b') + 5 * 5, 6);
    expect(ledger.energyAt(90_000).get('a')).toBeCloseTo(baseJoules('a') - 110 * 10, 6); // at the origin bucket's power
  });

  it('uses a custom base per key, e.g. shares of a parent counter', () => {
    const ledger = new PowerLedger(
      10,
      tickMs,
      () => new Map([['x-idle', 1]]),
      () => 42,
    );
    expect(ledger.energyAt(100_000).get('x-idle')).toBe(42);
  });
});
