import { healthProblem, withBoardHealth } from './health-rule';

describe('healthProblem', () => {
  it('names a critical XID from the catalogue', () => {
    expect(healthProblem({ lastXid: 79 })).toBe(
      'failing device: critical XID 79 (GPU has fallen off the bus)',
    );
    expect(healthProblem({ lastXid: 48 })).toContain('critical XID 48');
  });

  it('lets warning XIDs, XID 0 and unknown codes through (the device is judged on its numbers)', () => {
    for (const lastXid of [0, 13, 31, 43, 94, 7777]) expect(healthProblem({ lastXid })).toBeUndefined();
  });

  it('names double-bit ECC errors since the driver loaded, with the XID when both hold', () => {
    expect(healthProblem({ eccDoubleBitVolatileCount: 2 })).toBe(
      'failing device: 2 double-bit ECC error(s) since the driver loaded',
    );
    expect(healthProblem({ lastXid: 95, eccDoubleBitVolatileCount: 1 })).toBe(
      'failing device: critical XID 95 (Uncontained ECC error), 1 double-bit ECC error(s) since the driver loaded',
    );
  });

  it('says nothing when the counters are zero or not exported', () => {
    expect(healthProblem({ eccDoubleBitVolatileCount: 0, lastXid: 0 })).toBeUndefined();
    expect(healthProblem({})).toBeUndefined();
  });
});

describe('healthProblem on a MIG instance', () => {
  it('names the board: the counters are the board’s', () => {
    expect(healthProblem({ lastXid: 79, migInstanceId: '3' })).toBe(
      'failing board (every MIG instance on it): critical XID 79 (GPU has fallen off the bus)',
    );
  });
});

describe('withBoardHealth', () => {
  const row = (uuid: string, mig: string | undefined, h: { lastXid?: number; dbe?: number } = {}) => ({
    cluster: 'c',
    node: 'n',
    uuid,
    index: 0,
    model: 'm',
    migInstanceId: mig,
    tenants: [],
    observedAt: new Date(0),
    lastXid: h.lastXid,
    eccDoubleBitVolatileCount: h.dbe,
  });

  it('gives every MIG instance of a board the critical XID and the highest DBE count seen on any of its rows', () => {
    const out = withBoardHealth([
      row('B', '1', { lastXid: 0, dbe: 0 }),
      row('B', '2', { lastXid: 79 }),
      row('B', '3', { lastXid: 48, dbe: 2 }),
      row('B', '4', { lastXid: 13 }),
    ]);
    expect(out.map((a) => [a.lastXid, a.eccDoubleBitVolatileCount])).toEqual([
      [79, 2],
      [79, 2],
      [79, 2],
      [79, 2],
    ]);
    expect(out.every((a) => healthProblem(a)?.startsWith('failing board'))).toBe(true);
  });

  it('leaves other boards, other clusters, whole GPUs and non-critical XIDs alone', () => {
    const items = [
      row('B', '1', { lastXid: 79 }),
      row('B2', '1', { lastXid: 0 }),
      { ...row('B', '2', { lastXid: 0 }), cluster: 'other' },
      row('W', undefined, { lastXid: 13 }),
      row('B3', '1', { lastXid: 13 }),
      row('B3', '2', { lastXid: 0 }),
    ];
    const out = withBoardHealth(items);
    expect(out.slice(1)).toEqual(items.slice(1));
    expect(out.slice(1).every((a) => healthProblem(a) === undefined)).toBe(true);
  });
});
