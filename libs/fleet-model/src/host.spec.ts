import { HOST_CPU_CORES, HOST_CPU_MODES, simHost } from './host';

describe('simHost', () => {
  const t0 = Date.UTC(2026, 0, 1);

  it('is deterministic and per node', () => {
    expect(simHost('east', 'n1', t0)).toEqual(simHost('east', 'n1', t0));
    expect(simHost('east', 'n1', t0).cores.map((c) => c.utilizationRatio)).not.toEqual(
      simHost('east', 'n2', t0).cores.map((c) => c.utilizationRatio),
    );
  });

  it('grows each core’s mode counters so that their rate is the core’s utilisation', () => {
    const [a, b] = [simHost('east', 'n1', t0), simHost('east', 'n1', t0 + 30_000)];
    expect(a.cores).toHaveLength(HOST_CPU_CORES);
    for (const [i, core] of b.cores.entries()) {
      const delta = (mode: (typeof HOST_CPU_MODES)[number]) => core.secondsByMode[mode] - a.cores[i]!.secondsByMode[mode];
      const total = HOST_CPU_MODES.reduce((s, m) => s + delta(m), 0);
      expect(total).toBeCloseTo(30, 6);
      expect(1 - delta('idle') / 30).toBeCloseTo(core.utilizationRatio, 6);
      for (const m of HOST_CPU_MODES) expect(delta(m)).toBeGreaterThanOrEqual(0);
    }
  });

  it('keeps available memory within the total, in whole MiB', () => {
    const h = simHost('west', 'n3', t0);
    expect(h.memoryAvailableBytes).toBeGreaterThan(0.19 * h.memoryTotalBytes);
    expect(h.memoryAvailableBytes).toBeLessThan(0.81 * h.memoryTotalBytes);
    expect(h.memoryAvailableBytes % 1024 ** 2).toBe(0);
  });
});
