import type { Scenario, SimNpu } from '@kcloud/fleet-model';
import { apiKeysEnv } from './harness/api-keys';
import { HEADERS, SECRETS } from './harness/auth-fixture';
import { gql } from './harness/graphql-client';
import { useStack } from './harness/use-stack';

/**
 * all-smi lists NPU cards and TPUs as `type="NPU"`/`"TPU"` device rows beside its GPUs (npuExporter: all-smi): through real Prometheus
 * scraping the simulator they are NPUs in `npus` and `accelerators`, with the simulator's values, and not GPUs.
 * Hour-long ticks keep every value still.
 */
const scenario: Scenario = {
  seed: 23,
  tickSeconds: 3600,
  clusters: [
    {
      name: 'smi-npu',
      gpuExporter: 'all-smi',
      npuExporter: 'all-smi',
      nodes: [
        {
          name: 'mix-01',
          gpuModel: 'NVIDIA H100 80GB HBM3',
          gpus: [{ pattern: 'training', namespace: 'inference', pod: 'llama-0', container: 'trainer' }],
        },
      ],
      npuNodes: [
        {
          name: 'mix-01',
          npuModel: 'RNGD',
          npus: [{ pattern: 'inference', namespace: 'inference', pod: 'ocr-0' }],
        },
        { name: 'npu-02', npuModel: 'RBLN-CA12', npus: [{ pattern: 'training' }, { pattern: 'notebook' }] },
        { name: 'tpu-03', npuModel: 'TPU v5e', npus: [{ pattern: 'inference' }] },
      ],
    },
  ],
};

const MAKER: Record<SimNpu['vendor'], string> = {
  furiosa: 'Furiosa',
  rebellions: 'Rebellions',
  google: 'Google',
};

const PARTNER = 'kc_team_inference_5c6d7e8f';

type Row = Record<string, unknown> & { id: string; kind: string; observedAt: string };
type Conn = { edges: { node: Row }[] };

const NPU_FIELDS = `id kind vendor model cluster node namespace pod utilizationPercent memoryUsedMiB memoryTotalMiB
  powerWatts temperatureCelsius observedAt`;

describe('all-smi NPU device rows (npuExporter: all-smi)', () => {
  const stack = useStack(scenario, [{ name: 'smi-npu', shape: 'exported' }], {
    CACHE_TTL_REALTIME_SECONDS: '0',
    ANALYZER_ENABLED: 'false',
    API_KEYS: apiKeysEnv([
      { name: 'admin', secret: SECRETS.admin, role: 'admin' },
      { name: 'inference', secret: PARTNER, role: 'viewer', namespaces: ['inference'] },
    ]),
  });

  const query = async <T>(q: string, headers = HEADERS.admin): Promise<T> => {
    const res = await gql<T>(stack.url, q, {}, headers);
    expect(res.errors).toBeUndefined();
    return res.data!;
  };

  const truth = (uuid: string, observedAt: string): SimNpu =>
    stack.model.npus('smi-npu', Date.parse(observedAt)).find((n) => n.uuid === uuid)!;

  it('lists the cards in npus with the values all-smi served, vendor and model from its device name, no tenant', async () => {
    const { npus } = await query<{ npus: Conn }>(`{ npus(first: 100) { edges { node { ${NPU_FIELDS} } } } }`);
    const expected = stack.model.npus('smi-npu');
    expect(new Set(expected.map((n) => n.vendor))).toEqual(new Set(['furiosa', 'rebellions', 'google']));
    expect(npus.edges.map((e) => e.node.id).sort()).toEqual(expected.map((n) => n.uuid).sort());
    for (const { node: api } of npus.edges) {
      const sim = truth(api.id, api.observedAt);
      expect(api).toMatchObject({
        kind: 'NPU',
        vendor: sim.vendor,
        model: `${MAKER[sim.vendor]} ${sim.model}`,
        cluster: 'smi-npu',
        node: sim.node,
        // all-smi attributes no pods, though the simulator put a tenant on the RNGD card.
        namespace: null,
        pod: null,
        temperatureCelsius: sim.temperatureCelsius,
      });
      expect(api.utilizationPercent).toBeCloseTo(sim.utilizationPercent, 6);
      expect(api.powerWatts).toBeCloseTo(sim.powerWatts, 6);
      // Furiosa's cards report no memory; Rebellions' and the TPU do, and all-smi passes it on.
      expect(api.memoryUsedMiB).toBe(sim.memoryUsedMiB ?? null);
      expect(api.memoryTotalMiB).toBe(sim.memoryTotalMiB ?? null);
    }
  });

  it('lists them in accelerators as NPUs and keeps them out of gpus', async () => {
    const { accelerators } = await query<{ accelerators: Conn }>(
      `{ accelerators(first: 100) { edges { node { __typename id kind } } } }`,
    );
    const gpus = stack.model.gpus('smi-npu').map((g) => g.uuid);
    const npus = stack.model.npus('smi-npu').map((n) => n.uuid);
    const kinds = new Map(accelerators.edges.map((e) => [e.node.id, [e.node.__typename, e.node.kind]]));
    expect([...kinds.keys()].sort()).toEqual([...gpus, ...npus].sort());
    for (const uuid of npus) expect(kinds.get(uuid)).toEqual(['Npu', 'NPU']);
    const listed = await query<{ gpus: Conn }>(`{ gpus(first: 100) { edges { node { uuid } } } }`);
    expect(listed.gpus.edges.map((e) => e.node.uuid)).toEqual(gpus);
  });

  it('shows a namespace-scoped key none of them (all-smi attributes no pods)', async () => {
    const res = await query<{ npus: Conn }>(`{ npus(first: 100) { edges { node { id } } } }`, {
      authorization: `Bearer ${PARTNER}`,
    });
    expect(res.npus.edges).toEqual([]);
  });
});
