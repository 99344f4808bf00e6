import {
  defaultScenario,
  FleetModel,
  FleetModelError,
  type Scenario,
  type SimNode,
  type SimNpu,
} from '@kcloud/fleet-model';

const T0 = Date.UTC(2026, 0, 15, 12, 0, 3);

const scenario: Scenario = {
  seed: 5,
  clusters: [
    {
      name: 'c1',
      nodes: [
        {
          name: 'gpu-1',
          gpuModel: 'Tesla T4',
          gpus: [{ pattern: 'training', namespace: 'ml', pod: 'job-0' }],
        },
      ],
      npuNodes: [
        {
          name: 'gpu-1',
          npuModel: 'RNGD',
          npus: [{ pattern: 'inference', namespace: 'ml', pod: 'job-0', container: 'trainer' }],
        },
        {
          name: 'npu-1',
          npuModel: 'RBLN-CA12',
          npus: [{ pattern: 'training', namespace: 'llm', pod: 'atom-0' }, { pattern: 'unallocated' }],
        },
      ],
    },
  ],
};

describe('FleetModel NPUs', () => {
  const m = new FleetModel(scenario);

  it('samples cards deterministically within their pattern: Furiosa per core, Rebellions with memory', () => {
    // The scenario has three cards; the next line checks that the model returns exactly them.
    const [rngd, atom, idle] = m.npus(undefined, T0) as [SimNpu, SimNpu, SimNpu];
    expect(m.npus(undefined, T0)).toEqual([rngd, atom, idle]);
    expect(rngd).toMatchObject({
      vendor: 'furiosa',
      model: 'RNGD',
      device: 'npu0',
      coreCount: 8,
      node: 'gpu-1',
    });
    expect(rngd.coreUtilizationPercent).toHaveLength(8);
    const mean = rngd.coreUtilizationPercent.reduce((a, b) => a + b, 0) / 8;
    expect(rngd.utilizationPercent).toBeCloseTo(mean, 12);
    expect(rngd.memoryUsedMiB).toBeUndefined();
    expect(rngd.ambientTemperatureCelsius).toBeLessThan(rngd.temperatureCelsius);
    expect(atom).toMatchObject({
      vendor: 'rebellions',
      device: 'rbln0',
      memoryTotalMiB: 16384,
      pod: 'atom-0',
    });
    expect(atom.utilizationPercent).toBeGreaterThanOrEqual(85);
    expect(atom.memoryUsedMiB!).toBeGreaterThan(0.85 * 16384 - 1);
    expect(atom.coreUtilizationPercent).toEqual([]);
    expect(idle).toMatchObject({ pod: undefined, utilizationPercent: 0 });
    expect(idle.powerWatts).toBeGreaterThan(0);
    expect(rngd.uuid).toMatch(/^[0-9A-F-]{36}$/);
    expect(atom.uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(m.nodeNpus('c1', 'npu-1', T0)).toEqual([atom, idle]);
  });

  it('adds NPU resources to a mixed node and appends NPU-only nodes after the GPU nodes', () => {
    const nodes = m.nodes('c1');
    expect(nodes).toHaveLength(2);
    const [mixed, only] = nodes as [SimNode, SimNode];
    expect(mixed.capacity).toEqual([
      { resource: 'nvidia.com/gpu', count: 1 },
      { resource: 'furiosa.ai/rngd', count: 1 },
    ]);
    expect([mixed.npuCount, mixed.npuModel]).toEqual([1, 'RNGD']);
    expect(only).toMatchObject({ name: 'npu-1', gpuCount: 0, gpuModel: '', npuCount: 2 });
    expect(only.allocatable).toEqual([{ resource: 'rebellions.ai/ATOM', count: 2 }]);
    expect(only.internalIp).not.toBe(mixed.internalIp);
    expect([m.hasNode('c1', 'npu-1'), m.hasNode('c1', 'nowhere')]).toEqual([true, false]);
  });

  it('turns card holders into pods; a pod holding a GPU and a card on the same node requests both', () => {
    const job = m.pods('c1').find((p) => p.name === 'job-0')!;
    expect(job.requests).toEqual([
      { container: 'trainer', resource: 'nvidia.com/gpu', count: 1 },
      { container: 'trainer', resource: 'furiosa.ai/rngd', count: 1 },
    ]);
    const atom = m.pods('c1').find((p) => p.name === 'atom-0')!;
    expect(atom).toMatchObject({ node: 'npu-1', gpuRequests: 0 });
    expect(atom.requests).toEqual([{ container: atom.container, resource: 'rebellions.ai/ATOM', count: 1 }]);
  });

  it('rejects bad NPU scenarios listing every problem', () => {
    const bad = {
      seed: 1,
      clusters: [
        {
          name: 'c',
          nodes: [],
          gpuExporter: 'dcgm-9000',
          npuNodes: [
            { name: 'n', npuModel: 'TPUv9', npus: [{ pattern: 'mining' }] },
            { name: 'n', npuModel: 'RNGD', npus: [{ pattern: 'unallocated', pod: 'p' }] },
          ],
        },
      ],
    } as unknown as Scenario;
    let error: FleetModelError | undefined;
    try {
      new FleetModel(bad);
    } catch (e) {
      error = e as FleetModelError;
    }
    expect(error).toBeInstanceOf(FleetModelError);
    for (const problem of [
      'gpuExporter',
      'npuModel: unknown NPU model',
      'pattern: one of',
      'duplicate name',
      'no namespace/pod',
    ])
      expect(error!.message).toContain(problem);
  });

  it('accepts npuExporter: all-smi only beside an all-smi GPU exporter, and a TPU only when all-smi reports it', () => {
    const tpu = (extra: Record<string, unknown>): Scenario =>
      ({
        seed: 1,
        clusters: [
          {
            name: 'c',
            nodes: [{ name: 'g', gpuModel: 'Tesla T4', gpus: [{ pattern: 'training' }] }],
            npuNodes: [{ name: 't', npuModel: 'TPU v5e', npus: [{ pattern: 'inference' }] }],
            ...extra,
          },
        ],
      }) as unknown as Scenario;
    expect(() => new FleetModel(tpu({}))).toThrow(/TPU v5e needs npuExporter: all-smi/);
    expect(() => new FleetModel(tpu({ npuExporter: 'all-smi' }))).toThrow(
      /all-smi needs gpuExporter all-smi/,
    );
    expect(() => new FleetModel(tpu({ npuExporter: 'smi' }))).toThrow(/npuExporter: vendor or all-smi/);
    const model = new FleetModel(tpu({ gpuExporter: 'all-smi-v0.20', npuExporter: 'all-smi' }));
    expect(model.npuExporter('c')).toBe('all-smi');
    expect(model.npus('c', T0).map((n) => [n.vendor, n.model, n.device])).toEqual([
      ['google', 'TPU v5e', 'accel0'],
    ]);
  });

  it('rejects one pod holding cards on two nodes', () => {
    const twoNodes: Scenario = {
      seed: 1,
      clusters: [
        {
          name: 'c',
          nodes: [
            { name: 'g', gpuModel: 'Tesla T4', gpus: [{ pattern: 'training', namespace: 'a', pod: 'p' }] },
          ],
          npuNodes: [
            { name: 'x', npuModel: 'Warboy', npus: [{ pattern: 'training', namespace: 'a', pod: 'p' }] },
          ],
        },
      ],
    };
    expect(() => new FleetModel(twoNodes)).toThrow(/would run on two nodes/);
  });

  it('puts cards of both vendors on nodes of the demo scenario, node count unchanged', () => {
    const demo = new FleetModel(defaultScenario());
    expect(new Set(demo.npus().map((n) => n.model))).toEqual(new Set(['RNGD', 'Warboy', 'RBLN-CA12']));
    expect(demo.npus().some((n) => n.pod)).toBe(true);
    expect(demo.nodes()).toHaveLength(5);
  });
});
