import type { Scenario } from '@kcloud/fleet-model';
import { windowAverages } from '@kcloud/fleet-model';
import { waitForFullWindowCycle } from './harness/analyzer-runs';
import type { GpuScoreNode as ScoreNode } from './harness/gpu-score';
import { gql } from './harness/graphql-client';
import { useStack } from './harness/use-stack';

const WINDOW_SECONDS = 5;

/**
 * The analyzer on clusters whose GPUs come from nvidia_gpu_exporter and all-smi, through a real Prometheus each.
 * Hour-long ticks keep every value still, so the window averages are the simulator's values.
 */
const scenario: Scenario = {
  seed: 21,
  tickSeconds: 3600,
  clusters: [
    {
      name: 'nv-lab',
      gpuExporter: 'nvidia-smi',
      nodes: [
        {
          name: 'lab-gpu-01',
          gpuModel: 'NVIDIA A100 80GB PCIe',
          gpus: [
            { pattern: 'training', namespace: 'ml-training', pod: 'bert-0', container: 'trainer' },
            { pattern: 'notebook', namespace: 'research', pod: 'jupyter-ana-0', container: 'notebook' },
            { pattern: 'unallocated' },
          ],
        },
      ],
    },
    {
      name: 'smi-lab',
      gpuExporter: 'all-smi-v0.20',
      nodes: [
        {
          name: 'smi-gpu-01',
          gpuModel: 'NVIDIA H100 80GB HBM3',
          gpus: [{ pattern: 'training', namespace: 'ml-training', pod: 'llama-0', container: 'trainer' }],
        },
      ],
    },
  ],
};

describe('GPU analyzer on nvidia_gpu_exporter and all-smi clusters', () => {
  const stack = useStack(
    scenario,
    [
      { name: 'nv-lab', shape: 'plain' },
      { name: 'smi-lab', shape: 'exported' },
    ],
    { ANALYZER_INTERVAL_SECONDS: '1', ANALYZER_WINDOW_SECONDS: String(WINDOW_SECONDS) },
  );
  beforeAll(async () => {
    await waitForFullWindowCycle(stack.url, WINDOW_SECONDS, Date.now());
  });

  async function scores(): Promise<ScoreNode[]> {
    const res = await gql<{ gpuScores: { edges: { node: ScoreNode }[] } }>(
      stack.url,
      `{ gpuScores(first: 100) { edges { node { uuid cluster namespace score status reason computedAt
          inputs { utilizationPercent memoryCopyUtilizationPercent memoryUsedPercent powerPercent } } } } }`,
    );
    expect(res.errors).toBeUndefined();
    return res.data!.gpuScores.edges.map((e) => e.node);
  }

  it('scores nvidia_gpu_exporter GPUs from the simulator ground truth within 1 point, without tenants', async () => {
    const rows = (await scores()).filter((r) => r.cluster === 'nv-lab');
    const truth = stack.model.gpus('nv-lab');
    expect(rows.map((r) => r.uuid).sort()).toEqual(truth.map((g) => g.uuid).sort());
    for (const row of rows) {
      const to = Date.parse(row.computedAt);
      const { gpu, averages: a } = windowAverages(stack.model, to - WINDOW_SECONDS * 1000, to, 'nv-lab').find(
        (w) => w.gpu.uuid === row.uuid,
      )!;
      const mem = (a.memoryUsedMiB! / (a.memoryUsedMiB! + a.memoryFreeMiB! + a.memoryReservedMiB!)) * 100;
      const power = (a.powerWatts! / a.powerLimitWatts!) * 100;
      const expected =
        0.5 * a.utilizationPercent! + 0.2 * a.memoryCopyUtilizationPercent! + 0.2 * mem + 0.1 * power;
      expect(row.reason?.startsWith('no compute') ? null : row.reason).toBeNull();
      expect(Math.abs(row.score! - expected)).toBeLessThanOrEqual(1);
      expect(Math.abs(row.inputs.memoryUsedPercent! - mem)).toBeLessThanOrEqual(1);
      expect(Math.abs(row.inputs.powerPercent! - power)).toBeLessThanOrEqual(1);
      // The exporter knows no pods, so the score is not attributed to one.
      expect(row.namespace).toBeNull();
      if (gpu.pattern === 'notebook') expect(row.status).toBe('IDLE');
      if (gpu.pattern === 'training') expect(row.status).toBe('HIGH');
    }
  });

  it('reports all-smi GPUs UNKNOWN for want of memory-copy utilisation, never scored on a made-up 0', async () => {
    const rows = (await scores()).filter((r) => r.cluster === 'smi-lab');
    expect(rows.map((r) => r.uuid)).toEqual(stack.model.gpus('smi-lab').map((g) => g.uuid));
    for (const row of rows) {
      expect(row.status).toBe('UNKNOWN');
      expect(row.score).toBeNull();
      expect(row.reason).toMatch(/memory copy utilization: not exported \(all-smi does not export it\)/);
      expect(row.inputs.utilizationPercent).toBeGreaterThan(50);
    }
  });
});
