import { healthProblem } from './health-rule';

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
