import { findGpuModel, type Scenario, type SimNpu } from '@kcloud/fleet-model';
import { physicalGpus } from './harness/accelerator-truth';
import { gql } from './harness/graphql-client';
import { promqlDuring } from './harness/promql-during';
import { useStack } from './harness/use-stack';
import { at } from './harness/indexed';
import { inferenceMigBoard } from './harness/scenario-parts';

/**
 * NPUs, GPUs from all-smi and nvidia_gpu_exporter, the unified accelerators list and GPU processes, through a real
 * Prometheus per cluster scraping the simulator. Hour-long ticks keep every value still while API and model compare.
 */
const scenario: Scenario = {
  seed: 7,
  tickSeconds: 3600,
  clusters: [
    {
      name: 'dcgm-east',
      nodes: [
        {
          name: 'east-mix-01',
          gpuModel: 'NVIDIA L40S',
          gpus: [
            {
              pattern: 'inference',
              namespace: 'inference',
              pod: 'sdxl-6d8f7b9c5d-w4tzn',
              container: 'diffusion',
            },
            { pattern: 'unallocated' },
          ],
        },
      ],
      npuNodes: [
        {
          name: 'east-mix-01',
          npuModel: 'RNGD',
          npus: [
            {
              pattern: 'inference',
              namespace: 'inference',
              pod: 'llm-rngd-7d9c8b6f5d-v5qxz',
              container: 'llm',
            },
            { pattern: 'unallocated' },
          ],
        },
        {
          name: 'east-npu-01',
          npuModel: 'RBLN-CA25',
          npus: [
            { pattern: 'training', namespace: 'ml-training', pod: 'atom-train-0', container: 'trainer' },
            { pattern: 'unallocated' },
          ],
        },
      ],
    },
    {
      name: 'smi-west',
      gpuExporter: 'all-smi-v0.20',
      nodes: [
        {
          name: 'west-gpu-01',
          gpuModel: 'NVIDIA H100 80GB HBM3',
          gpus: [
            inferenceMigBoard(2, 9),
            { pattern: 'training', namespace: 'ml-training', pod: 'llama-ft-0', container: 'trainer' },
            { pattern: 'unallocated' },
          ],
        },
      ],
      npuNodes: [
        {
          name: 'west-gpu-01',
          npuModel: 'Warboy',
          npus: [
            { pattern: 'notebook', namespace: 'research', pod: 'jupyter-erin-0', container: 'notebook' },
          ],
        },
      ],
    },
    {
      name: 'nv-south',
      gpuExporter: 'nvidia-smi',
      nodes: [
        {
          name: 'south-gpu-01',
          gpuModel: 'NVIDIA A100 80GB PCIe',
          gpus: [
            { pattern: 'training', namespace: 'ml-training', pod: 'bert-0', container: 'trainer' },
            { pattern: 'unallocated' },
          ],
        },
        {
          name: 'south-gpu-02',
          gpuModel: 'Tesla T4',
          gpus: [
            {
              pattern: 'dataloader-stall',
              namespace: 'ml-training',
              pod: 'ocr-train-b6n3v',
              container: 'trainer',
            },
            { pattern: 'inference', namespace: 'inference', pod: 'asr-7b5c9d6f8d-p9ksl', container: 'asr' },
          ],
        },
      ],
    },
  ],
};

const NPU_FIELDS = `id kind vendor uuid model cluster node index device pciBusId driverVersion firmwareVersion namespace pod
  container utilizationPercent coreCount memoryUsedMiB memoryTotalMiB powerWatts temperatureCelsius
  ambientTemperatureCelsius healthy observedAt`;
const GPU_FIELDS = `id kind vendor uuid index cluster node model driverVersion pciBusId migProfile namespace pod container
  utilizationPercent memoryCopyUtilizationPercent memoryUsedMiB memoryTotalMiB powerWatts powerLimitWatts
  temperatureCelsius smClockMHz energyJoules observedAt`;

type Row = Record<string, unknown> & { id: string; observedAt: string };
type Conn = { totalCount: number; edges: { node: Row }[] };

function expectNpu(api: Row, sim: SimNpu): void {
  expect({
    kind: api.kind,
    vendor: api.vendor,
    uuid: api.uuid,
    model: api.model,
    cluster: api.cluster,
    node: api.node,
    index: api.index,
    device: api.device,
    namespace: api.namespace,
    pod: api.pod,
    container: api.container,
    driverVersion: api.driverVersion,
    firmwareVersion: api.firmwareVersion,
    healthy: api.healthy,
  }).toEqual({
    kind: 'NPU',
    vendor: sim.vendor,
    uuid: sim.uuid,
    model: sim.model,
    cluster: sim.cluster,
    node: sim.node,
    index: sim.index,
    device: sim.device,
    namespace: sim.namespace ?? null,
    pod: sim.pod ?? null,
    container: sim.container ?? null,
    driverVersion: sim.driverVersion,
    firmwareVersion: sim.firmwareVersion,
    healthy: sim.healthy,
  });
  expect(api.utilizationPercent as number).toBeCloseTo(sim.utilizationPercent, 6);
  expect(api.powerWatts as number).toBeCloseTo(sim.powerWatts, 6);
  expect(api.temperatureCelsius).toBe(sim.temperatureCelsius);
  expect(api.memoryUsedMiB).toBe(sim.memoryUsedMiB ?? null);
  expect(api.memoryTotalMiB).toBe(sim.memoryTotalMiB ?? null);
  const furiosa = sim.vendor === 'furiosa';
  expect(api.ambientTemperatureCelsius).toBe(furiosa ? sim.ambientTemperatureCelsius : null);
  expect(api.coreCount).toBe(furiosa ? sim.coreCount : null);
  expect(api.pciBusId).toBe(furiosa ? sim.pciBusId : null);
}

describe('accelerators through a real Prometheus (NPU exporters, all-smi, nvidia_gpu_exporter)', () => {
  const stack = useStack(
    scenario,
    [
      { name: 'dcgm-east', shape: 'exported' },
      { name: 'smi-west', shape: 'exported' },
      { name: 'nv-south', shape: 'plain' },
    ],
    { CACHE_TTL_REALTIME_SECONDS: '0' },
  );

  const query = async <T>(q: string, variables: Record<string, unknown> = {}): Promise<T> => {
    const res = await gql<T>(stack.url, q, variables);
    expect(res.errors).toBeUndefined();
    return res.data!;
  };

  it('lists every NPU card with the values, tenant and identity the simulator served', async () => {
    const { npus } = await query<{ npus: Conn }>(
      `{ npus(first: 1000) { totalCount edges { node { ${NPU_FIELDS} } } } }`,
    );
    const expected = stack.model.npus();
    expect(npus.totalCount).toBe(expected.length);
    const byId = new Map(npus.edges.map((e) => [e.node.id, e.node]));
    for (const card of expected) {
      const api = byId.get(card.uuid);
      expect(api).toBeDefined();
      const truth = stack.model
        .npus(card.cluster, Date.parse(api!.observedAt))
        .find((n) => n.uuid === card.uuid)!;
      expectNpu(api!, truth);
    }
    // The scenario exercises both vendors, tenants read from exported_* labels and cards nobody holds.
    expect(new Set(expected.map((n) => n.vendor))).toEqual(new Set(['furiosa', 'rebellions']));
    expect(npus.edges.some((e) => e.node.cluster === 'dcgm-east' && e.node.pod)).toBe(true);
    expect(npus.edges.every((e) => e.node.pod !== 'nvidia-dcgm-exporter-x7k2p')).toBe(true);
  });

  it('filters NPUs by namespace, node, vendor and model, and finds one by uuid', async () => {
    const cases: [Record<string, string>, (n: SimNpu) => boolean][] = [
      [{ namespace: 'inference' }, (n) => n.namespace === 'inference'],
      [{ node: 'east-npu-01' }, (n) => n.node === 'east-npu-01'],
      [{ vendor: 'furiosa' }, (n) => n.vendor === 'furiosa'],
      [{ model: 'RBLN-CA25', cluster: 'dcgm-east' }, (n) => n.model === 'RBLN-CA25'],
    ];
    for (const [filter, pred] of cases) {
      const { npus } = await query<{ npus: Conn }>(
        `query($f: NpuFilterInput) { npus(filter: $f, first: 1000) { edges { node { id } } } }`,
        { f: filter },
      );
      expect(npus.edges.map((e) => e.node.id).sort()).toEqual(
        stack.model
          .npus()
          .filter(pred)
          .map((n) => n.uuid)
          .sort(),
      );
    }
    const card = at(stack.model.npus(), 0, 'simulated NPU');
    const one = await query<{ npu: Row }>(`query($u: ID!) { npu(uuid: $u) { ${NPU_FIELDS} } }`, {
      u: card.uuid,
    });
    expect(one.npu.uuid).toBe(card.uuid);
    const missing = await gql(stack.url, `{ npu(uuid: "no-such-card") { uuid } }`);
    expect(missing.errors?.[0]?.extensions!.code).toBe('NOT_FOUND');
  });

  it.each(['smi-west', 'nv-south'])(
    'returns the GPUs of %s (all-smi / nvidia_gpu_exporter) with the fields dcgm reports for the same devices',
    async (cluster) => {
      const { gpus } = await query<{ gpus: Conn }>(
        `query($f: GpuFilterInput) { gpus(filter: $f, first: 1000) { totalCount edges { node { ${GPU_FIELDS} } } } }`,
        { f: { cluster } },
      );
      const truth = physicalGpus(stack.model.gpus(cluster));
      expect(gpus.totalCount).toBe(truth.length);
      const byId = new Map(gpus.edges.map((e) => [e.node.id, e.node]));
      const nvidiaSmi = cluster === 'nv-south';
      for (const { row, mig } of truth) {
        const api = byId.get(row.uuid);
        expect(api).toBeDefined();
        const at = Date.parse(api!.observedAt);
        const now = physicalGpus(stack.model.gpus(cluster, at)).find((g) => g.row.uuid === row.uuid)!;
        const g = now.row;
        const total = mig
          ? findGpuModel(g.model)!.memoryTotalMiB
          : g.memoryUsedMiB + g.memoryFreeMiB + g.memoryReservedMiB;
        expect(api).toMatchObject({
          kind: 'GPU',
          vendor: 'nvidia',
          uuid: g.uuid,
          index: g.index,
          node: g.node,
          model: g.model,
          driverVersion: g.driverVersion,
          migProfile: null,
          memoryUsedMiB: now.memoryUsedMiB,
          memoryTotalMiB: total,
          powerLimitWatts: g.powerLimitWatts,
          temperatureCelsius: g.temperatureCelsius,
          smClockMHz: g.smClockMHz,
          // Neither exporter knows which pod holds a GPU.
          namespace: null,
          pod: null,
          container: null,
        });
        // nvidia-smi prints power with two decimals; all-smi passes NVML's milliwatts on.
        expect(Math.abs((api!.powerWatts as number) - g.powerWatts)).toBeLessThanOrEqual(
          nvidiaSmi ? 0.005 + 1e-9 : 1e-9,
        );
        // On a MIG-enabled GPU NVML has no utilisation: nvidia-smi prints [N/A], all-smi ≤ 0.20 prints 0.
        expect(api!.utilizationPercent).toBe(mig ? (nvidiaSmi ? null : 0) : g.utilizationPercent);
        expect(api!.memoryCopyUtilizationPercent).toBe(
          nvidiaSmi && !mig ? g.memoryCopyUtilizationPercent : null,
        );
        expect(api!.pciBusId).toBe(nvidiaSmi ? g.pciBusId : null);
        expect(api!.energyJoules).toBeNull();
      }
    },
  );

  it('lists the GPUs and NPUs of one node together in accelerators(filter: {node})', async () => {
    const node = 'east-mix-01';
    const { accelerators } = await query<{ accelerators: Conn }>(
      `query($f: AcceleratorFilterInput) { accelerators(filter: $f, first: 1000) { totalCount edges { node {
         __typename id kind node powerWatts ... on Gpu { migProfile smClockMHz } ... on Npu { device healthy } } } } }`,
      { f: { node } },
    );
    const gpus = stack.model.gpus().filter((g) => g.node === node);
    const npus = stack.model.npus().filter((n) => n.node === node);
    expect(accelerators.edges.map((e) => e.node.id)).toEqual([
      ...gpus.map((g) => g.uuid),
      ...npus.map((n) => n.uuid),
    ]);
    expect(accelerators.edges.map((e) => [e.node.__typename, e.node.kind])).toEqual([
      ...gpus.map(() => ['Gpu', 'GPU']),
      ...npus.map(() => ['Npu', 'NPU']),
    ]);
    expect(
      accelerators.edges.filter((e) => e.node.kind === 'NPU').every((e) => e.node.device && e.node.healthy),
    ).toBe(true);
    const onlyNpus = await query<{ accelerators: Conn }>(
      `{ accelerators(filter: { kind: NPU }, first: 1000) { totalCount } }`,
    );
    expect(onlyNpus.accelerators.totalCount).toBe(stack.model.npus().length);
    const rebellions = await query<{ accelerators: Conn }>(
      `{ accelerators(filter: { vendor: "rebellions" }, first: 1000) { edges { node { id } } } }`,
    );
    expect(rebellions.accelerators.edges.map((e) => e.node.id).sort()).toEqual(
      stack.model
        .npus()
        .filter((n) => n.vendor === 'rebellions')
        .map((n) => n.uuid)
        .sort(),
    );
  });

  it('lists GPU processes where the exporter reports them, with the GPU’s node and index', async () => {
    const { gpuProcesses } = await query<{ gpuProcesses: Conn }>(
      `{ gpuProcesses(first: 1000) { totalCount edges { node { cluster node gpuUuid gpuIndex namespace pid processName
         user command gpuMemoryUsedMiB cpuPercent memoryPercent observedAt } } } }`,
    );
    const expected = stack.model.gpuProcesses();
    expect(expected.some((p) => p.cluster === 'smi-west')).toBe(true);
    expect(expected.some((p) => p.cluster === 'nv-south')).toBe(true);
    expect(gpuProcesses.totalCount).toBe(expected.length);
    const byKey = new Map(gpuProcesses.edges.map((e) => [`${e.node.gpuUuid}|${e.node.pid}`, e.node]));
    for (const p of expected) {
      const api = byKey.get(`${p.gpuUuid}|${p.pid}`);
      expect(api).toBeDefined();
      const truth = stack.model
        .gpuProcesses(p.cluster, Date.parse(api!.observedAt))
        .find((x) => x.gpuUuid === p.gpuUuid && x.pid === p.pid)!;
      expect(api).toEqual({
        cluster: truth.cluster,
        node: truth.node,
        gpuUuid: truth.gpuUuid,
        gpuIndex: truth.gpuIndex,
        // all-smi and nvidia_gpu_exporter GPUs carry no tenant, so neither do their processes.
        namespace: null,
        pid: truth.pid,
        processName: truth.name,
        // Neither all-smi ≤ 0.20 nor nvidia_gpu_exporter reports user, command or CPU; no exporter memory %.
        user: null,
        command: null,
        gpuMemoryUsedMiB: truth.gpuMemoryUsedMiB,
        cpuPercent: null,
        memoryPercent: null,
        observedAt: api!.observedAt,
      });
    }
    const onNode = await query<{ gpuProcesses: Conn }>(
      `{ gpuProcesses(filter: { node: "south-gpu-02" }, first: 1000) { edges { node { pid node } } } }`,
    );
    expect(onNode.gpuProcesses.edges.map((e) => e.node.pid).sort()).toEqual(
      expected
        .filter((p) => p.node === 'south-gpu-02')
        .map((p) => p.pid)
        .sort(),
    );
  });

  it('issues a constant number of PromQL requests per cluster: 3 for npus, 5 (+1 on dcgm) for accelerators (+2 each on all-smi), 3 for processes', async () => {
    const count = async (q: string): Promise<number> =>
      (await promqlDuring(stack.app, () => query(q))).queries.length;
    const clusters = scenario.clusters.length;
    // Samples (identity + values) and one data-quality read (target up, frozen devices) per device kind; the GPU
    // data-quality read applies to dcgm-exporter clusters only.
    const dcgm = scenario.clusters.filter((c) => (c.gpuExporter ?? 'dcgm') === 'dcgm').length;
    // On an all-smi cluster the NPU read also asks all-smi for its NPU/TPU device rows (identity + values).
    const allSmi = scenario.clusters.filter((c) => c.gpuExporter?.startsWith('all-smi')).length;
    expect(await count(`{ npus(first: 1000) { totalCount } }`)).toBe(3 * clusters + 2 * allSmi);
    expect(await count(`{ accelerators(first: 1000) { totalCount } }`)).toBe(
      5 * clusters + dcgm + 2 * allSmi,
    );
    expect(await count(`{ gpuProcesses(first: 1000) { totalCount } }`)).toBe(3 * clusters);
  });
});
