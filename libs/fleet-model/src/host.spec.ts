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
      const delta = (mode: (typeof HOST_CPU_MODES)[number]) =>
        core.secondsByMode[mode] - a.cores[i]!.secondsByMode[mode];
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

  it('grows each interface’s counters at its constant rate; the root filesystem is consistent and whole MiB', () => {
    const [a, b] = [simHost('east', 'n1', t0), simHost('east', 'n1', t0 + 30_000)];
    for (const [i, d] of b.network.entries()) {
      expect((d.receiveBytesTotal - a.network[i]!.receiveBytesTotal) / 30).toBeCloseTo(
        d.receiveBytesPerSecond,
        0,
      );
      expect((d.transmitBytesTotal - a.network[i]!.transmitBytesTotal) / 30).toBeCloseTo(
        d.transmitBytesPerSecond,
        0,
      );
    }
    const root = a.filesystems.filter((f) => f.mountpoint === '/');
    expect(root).toHaveLength(1);
    expect(root[0]!.availBytes % 1024 ** 2).toBe(0);
    expect(root[0]!.availBytes).toBeLessThan(root[0]!.sizeBytes);
    expect(
      [a.load.load1, a.load.load5, a.load.load15].every((l) => l >= 0 && Math.round(l * 100) === l * 100),
    ).toBe(true);
  });
});
