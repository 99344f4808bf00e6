import {
  defaultScenario,
  FleetModel,
  FleetModelError,
  generateScenario,
  gpuKeyOf,
} from '@kcloud/fleet-model';
import type { Scenario, SimGpu } from '@kcloud/fleet-model';

const T0 = Date.UTC(2026, 0, 15, 12, 0, 0); // on a 10 s bucket boundary
const TICK_MS = 10_000;

const valuesOf = (g: SimGpu): unknown => ({ ...g, energyMillijoules: undefined });
const byKey = (gpus: readonly SimGpu[]): Map<string, SimGpu> => new Map(gpus.map((g) => [gpuKeyOf(g), g]));

describe('FleetModel determinism', () => {
  it('produces the same devices and values for the same seed, in a fresh model', () => {
    const a = new FleetModel(defaultScenario()).gpus(undefined, T0 + 1234);
    const b = new FleetModel(defaultScenario()).gpus(undefined, T0 + 1234);
    expect(b).toEqual(a);
  });

  it('changes UUIDs and values with a different seed', () => {
    const a = new FleetModel(defaultScenario()).gpus(undefined, T0);
    const b = new FleetModel({ ...defaultScenario(), seed: 43 }).gpus(undefined, T0);
    expect(b.map((g) => g.uuid)).not.toEqual(a.map((g) => g.uuid));
    expect(b.map((g) => g.powerWatts)).not.toEqual(a.map((g) => g.powerWatts));
  });

  it('keeps every value except the energy counter constant within a tick, and moves them across ticks', () => {
    const m = new FleetModel(defaultScenario());
    const start = m.gpus(undefined, T0).map(valuesOf);
    expect(m.gpus(undefined, T0 + TICK_MS - 1).map(valuesOf)).toEqual(start);
    expect(m.gpus(undefined, T0 + TICK_MS).map(valuesOf)).not.toEqual(start);
  });

  it('honours tickSeconds', () => {
    const m = new FleetModel({ ...defaultScenario(), tickSeconds: 60 });
    expect(m.gpus(undefined, T0 + 59_999).map(valuesOf)).toEqual(m.gpus(undefined, T0).map(valuesOf));
    expect(m.bucketOf(T0 + 60_000) - m.bucketOf(T0)).toBe(1);
  });

  it('formats identities like NVML and the PCI bus', () => {
    for (const g of new FleetModel(defaultScenario()).gpus(undefined, T0)) {
      expect(g.uuid).toMatch(/^GPU-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(g.pciBusId).toMatch(/^[0-9A-F]{8}:[0-9A-F]{2}:00\.0$/);
      expect(g.driverVersion).toBe('580.105.08');
    }
  });
});

describe('FleetModel values', () => {
  const m = new FleetModel(defaultScenario());
  const samples = Array.from({ length: 30 }, (_, i) => m.gpus(undefined, T0 + i * TICK_MS)).flat();

  it('splits the framebuffer exactly: FB_USED + FB_FREE + FB_RESERVED = memory total', () => {
    const totals = new Map<string, number>();
    for (const g of samples) {
      const total = g.memoryUsedMiB + g.memoryFreeMiB + g.memoryReservedMiB;
      expect(totals.get(gpuKeyOf(g)) ?? total).toBe(total);
      totals.set(gpuKeyOf(g), total);
      expect(Math.min(g.memoryUsedMiB, g.memoryFreeMiB, g.memoryReservedMiB)).toBeGreaterThanOrEqual(0);
    }
    const h100 = samples.find((g) => g.model === 'NVIDIA H100 80GB HBM3')!;
    expect(totals.get(gpuKeyOf(h100))).toBe(81559);
    const slice = samples.find((g) => g.migProfile === '1g.10gb')!;
    expect(totals.get(gpuKeyOf(slice))).toBe(9728);
  });

  it('reports integers where DCGM prints %d and a 0..1 engine ratio consistent with GPU_UTIL', () => {
    for (const g of samples) {
      for (const v of [
        g.memoryUsedMiB,
        g.temperatureCelsius,
        g.memoryTemperatureCelsius,
        g.smClockMHz,
        g.energyMillijoules,
      ])
        expect(Number.isInteger(v)).toBe(true);
      expect(g.grEngineActiveRatio).toBeGreaterThanOrEqual(0);
      expect(g.grEngineActiveRatio).toBeLessThanOrEqual(1);
      if (g.utilizationPercent !== undefined) {
        expect(Number.isInteger(g.utilizationPercent)).toBe(true);
        expect(Math.abs(g.grEngineActiveRatio * 100 - g.utilizationPercent)).toBeLessThanOrEqual(0.5 + 1e-9);
        expect(Math.abs(g.dramActiveRatio * 100 - g.memoryCopyUtilizationPercent!)).toBeLessThanOrEqual(
          0.5 + 1e-9,
        );
      }
      expect(g.powerWatts).toBeLessThanOrEqual(g.powerLimitWatts);
    }
  });

  it('reports MIG instances without GPU_UTIL/MEM_COPY_UTIL, with the parent identity and the parent board power', () => {
    const mig = samples.filter((g) => g.migInstanceId !== undefined);
    expect(mig.length).toBeGreaterThan(0);
    for (const g of mig) {
      expect(g.utilizationPercent).toBeUndefined();
      expect(g.memoryCopyUtilizationPercent).toBeUndefined();
      expect(g.migProfile).toBeDefined();
      const siblings = mig.filter((s) => s.uuid === g.uuid && s.energyMillijoules === g.energyMillijoules);
      expect(new Set(siblings.map((s) => s.powerWatts)).size).toBe(1);
      expect(new Set(siblings.map((s) => `${s.index}|${s.pciBusId}`)).size).toBe(1);
    }
  });

  it('gives unallocated devices no tenant and allocated devices a full one', () => {
    for (const g of samples) {
      if (g.pattern === 'unallocated')
        expect([g.namespace, g.pod, g.container]).toEqual([undefined, undefined, undefined]);
      else
        expect([g.namespace, g.pod, g.container].every((x) => typeof x === 'string' && x.length > 0)).toBe(
          true,
        );
    }
  });

  it('keeps the energy counter strictly increasing between any two times', () => {
    const times = [T0 - 5 * 86_400_000, T0, T0 + 1, T0 + 999, T0 + TICK_MS, T0 + 3_600_000];
    const series = times.map((t) => byKey(m.gpus(undefined, t)));
    for (const key of series[0]?.keys() ?? [])
      series
        .slice(1)
        .forEach((later, i) =>
          expect(later.get(key)?.energyMillijoules).toBeGreaterThan(
            series[i]?.get(key)?.energyMillijoules ?? Infinity,
          ),
        );
  });

  it('integrates the power the gauge shows: energy increase over an hour ≈ mean power gauge × time', () => {
    const hour = 3_600_000;
    const start = byKey(m.gpus(undefined, T0));
    const end = byKey(m.gpus(undefined, T0 + hour));
    const mean = new Map<string, number>();
    for (let t = T0; t < T0 + hour; t += TICK_MS)
      for (const g of m.gpus(undefined, t))
        mean.set(gpuKeyOf(g), (mean.get(gpuKeyOf(g)) ?? 0) + g.powerWatts / 360);
    for (const [key, g] of start) {
      const watts = (end.get(key)!.energyMillijoules - g.energyMillijoules) / hour;
      expect(Math.abs(watts - mean.get(key)!) / mean.get(key)!).toBeLessThan(0.03);
    }
  });
});

describe('FleetModel at run time', () => {
  let m: FleetModel;
  beforeEach(() => {
    m = new FleetModel(defaultScenario());
  });
  const firstWith = (pattern: SimGpu['pattern'], mig = false): SimGpu =>
    m.gpus(undefined, T0).find((g) => g.pattern === pattern && (g.migInstanceId !== undefined) === mig)!;

  it('switches a training GPU to a notebook: util drops to 0, tenant kept, energy continues without a jump', () => {
    const g = firstWith('training');
    const before = m.gpuByKey(g.uuid, undefined, T0 + 5000)!;
    m.setPattern(g.uuid, undefined, 'notebook', undefined, T0 + 5000);
    const after = m.gpuByKey(g.uuid, undefined, T0 + 5000)!;
    expect(after.pattern).toBe('notebook');
    expect(after.utilizationPercent).toBe(0);
    expect(after.powerWatts).toBeLessThan(before.powerWatts);
    expect([after.namespace, after.pod]).toEqual([before.namespace, before.pod]);
    expect(after.energyMillijoules).toBe(before.energyMillijoules);
    expect(m.gpuByKey(g.uuid, undefined, T0 + 10_000)!.energyMillijoules).toBeGreaterThan(
      after.energyMillijoules,
    );
  });

  it('unallocates with a null tenant and pods() follows', () => {
    const g = firstWith('notebook');
    expect(m.pods().some((p) => p.name === g.pod)).toBe(true);
    m.setPattern(g.uuid, undefined, 'unallocated', null, T0);
    const after = m.gpuByKey(g.uuid, undefined, T0)!;
    expect([after.namespace, after.pod, after.container]).toEqual([undefined, undefined, undefined]);
    expect(m.pods().some((p) => p.name === g.pod)).toBe(false);
  });

  it('allocates a free GPU to a named tenant and pods() gains that pod', () => {
    const g = firstWith('unallocated');
    const tenant = { namespace: 'team-x', pod: 'batch-job-abcde', container: 'worker' };
    m.setPattern(g.uuid, undefined, 'training', tenant, T0);
    expect(m.gpuByKey(g.uuid, undefined, T0)).toMatchObject({ pattern: 'training', ...tenant });
    expect(m.pods(g.cluster).find((p) => p.name === tenant.pod)).toMatchObject({
      namespace: 'team-x',
      node: g.node,
      gpuRequests: 1,
      ownerKind: 'Job',
      ownerName: 'batch-job',
    });
  });

  it('invents a tenant when an unallocated device is given a workload without one', () => {
    const g = firstWith('unallocated');
    m.setPattern(g.uuid, undefined, 'inference', undefined, T0);
    const after = m.gpuByKey(g.uuid, undefined, T0)!;
    expect(after.namespace).toBe('inference');
    expect(m.pods().some((p) => p.name === after.pod)).toBe(true);
  });

  it('switches one MIG instance and requires the instance id for a MIG-enabled GPU', () => {
    const slice = firstWith('unallocated', true);
    expect(() => m.setPattern(slice.uuid, undefined, 'training')).toThrow(FleetModelError);
    m.setPattern(
      slice.uuid,
      slice.migInstanceId,
      'training',
      { namespace: 'research', pod: 'mig-job-0', container: 'c' },
      T0,
    );
    expect(m.gpuByKey(slice.uuid, slice.migInstanceId, T0)).toMatchObject({
      pattern: 'training',
      pod: 'mig-job-0',
    });
    const pod = m.pods().find((p) => p.name === 'mig-job-0')!;
    expect(pod.requests).toEqual([
      { container: 'c', resource: `nvidia.com/mig-${slice.migProfile}`, count: 1 },
    ]);
    expect(pod.gpuRequests).toBe(0);
  });

  it('rejects unknown devices, bad patterns, a tenant on unallocated and a pod on two nodes', () => {
    const g = firstWith('training');
    const elsewhere = m
      .gpus(undefined, T0)
      .find((x) => x.node !== g.node && x.cluster === g.cluster && !x.migInstanceId)!;
    const code = (fn: () => void): string | undefined => {
      try {
        fn();
      } catch (e) {
        return (e as FleetModelError).code;
      }
      return undefined;
    };
    expect(code(() => m.setPattern('GPU-nope', undefined, 'training'))).toBe('NOT_FOUND');
    expect(code(() => m.setPattern(g.uuid, '3', 'training'))).toBe('NOT_FOUND');
    expect(code(() => m.setPattern(g.uuid, undefined, 'mining' as SimGpu['pattern']))).toBe('BAD_USER_INPUT');
    expect(
      code(() =>
        m.setPattern(g.uuid, undefined, 'unallocated', { namespace: 'a', pod: 'b', container: 'c' }),
      ),
    ).toBe('BAD_USER_INPUT');
    const clash = { namespace: g.namespace!, pod: g.pod!, container: 'x' };
    expect(code(() => m.setPattern(elsewhere.uuid, undefined, 'training', clash))).toBe('BAD_USER_INPUT');
    expect(m.gpuByKey(elsewhere.uuid, undefined, T0)!.pod).not.toBe(g.pod); // rolled back
  });

  it('removes a GPU: its rows disappear, node allocatable drops, capacity stays', () => {
    const g = firstWith('training');
    const count = m.gpus().length;
    const nodeBefore = m.nodes(g.cluster).find((n) => n.name === g.node)!;
    m.removeGpu(g.uuid);
    expect(m.gpus().length).toBe(count - 1);
    expect(m.gpuByKey(g.uuid)).toBeUndefined();
    const nodeAfter = m.nodes(g.cluster).find((n) => n.name === g.node)!;
    expect(nodeAfter.gpuCount).toBe(nodeBefore.gpuCount - 1);
    expect(nodeAfter.capacity).toEqual(nodeBefore.capacity);
    const gpuCount = (n: typeof nodeAfter): number =>
      n.allocatable.find((r) => r.resource === 'nvidia.com/gpu')!.count;
    expect(gpuCount(nodeAfter)).toBe(gpuCount(nodeBefore) - 1);
    expect(() => m.removeGpu(g.uuid)).toThrow(FleetModelError);
  });
});

describe('FleetModel topology', () => {
  it('serves the demo fleet: 2 clusters, 3 + 2 nodes, every pattern, one MIG GPU, ≥3 namespaces', () => {
    const m = new FleetModel(defaultScenario());
    expect(m.clusters()).toEqual(['kcloud-east', 'kcloud-west']);
    expect(m.nodes('kcloud-east')).toHaveLength(3);
    expect(m.nodes('kcloud-west')).toHaveLength(2);
    const gpus = m.gpus(undefined, T0);
    expect(new Set(gpus.map((g) => g.pattern))).toEqual(
      new Set(['training', 'inference', 'notebook', 'unallocated', 'dataloader-stall']),
    );
    expect(new Set(gpus.filter((g) => g.migInstanceId).map((g) => g.uuid)).size).toBe(1);
    expect(gpus.some((g) => g.migInstanceId && g.pod)).toBe(true);
    expect(new Set(gpus.map((g) => g.namespace).filter(Boolean)).size).toBeGreaterThanOrEqual(3);
    expect(m.pods().find((p) => p.name === 'llm-pretrain-0')!.gpuRequests).toBe(4);
  });

  it('answers per node and per key like the full list', () => {
    const m = new FleetModel(defaultScenario());
    const all = m.gpus('kcloud-east', T0);
    expect(m.nodeGpus('kcloud-east', 'east-gpu-02', T0)).toEqual(all.filter((g) => g.node === 'east-gpu-02'));
    for (const g of all) expect(m.gpuByKey(g.uuid, g.migInstanceId, T0)).toEqual(g);
    expect(m.gpus('nowhere', T0)).toEqual([]);
    expect(m.nodeGpus('kcloud-east', 'nowhere', T0)).toEqual([]);
  });

  it('generates exactly clusters × nodes × GPUs devices with the requested mix', () => {
    const scenario: Scenario = generateScenario({
      clusters: 2,
      nodesPerCluster: 25,
      gpusPerNode: 8,
      seed: 3,
    });
    const m = new FleetModel(scenario);
    const gpus = m.gpus(undefined, T0);
    expect(gpus).toHaveLength(400);
    expect(m.nodes()).toHaveLength(50);
    const share = (p: string): number => gpus.filter((g) => g.pattern === p).length / gpus.length;
    expect(share('training')).toBeCloseTo(0.4, 1);
    expect(share('unallocated')).toBeCloseTo(0.15, 1);
    expect(new Set(gpus.map((g) => g.uuid)).size).toBe(400);
  });
});
