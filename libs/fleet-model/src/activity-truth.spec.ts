import type { ActivityTruth } from './activity-truth';
import { FleetModel } from './fleet-model';
import type { Scenario } from './scenario';

const scenario: Scenario = {
  seed: 7,
  clusters: [
    {
      name: 'c',
      nodes: [
        {
          name: 'n1',
          gpuModel: 'NVIDIA A100 80GB PCIe',
          gpus: [
            { pattern: 'training' },
            { pattern: 'notebook' },
            { pattern: 'allocated-empty' },
            { pattern: 'unallocated' },
            { pattern: 'prof-zero' },
            { pattern: 'inference' },
            { pattern: 'dataloader-stall' },
          ],
        },
        {
          name: 'n2',
          gpuModel: 'NVIDIA A100 80GB PCIe',
          gpus: [
            {
              mig: [
                { profile: '3g.40gb', instanceId: 1, pattern: 'notebook' },
                { profile: '3g.40gb', instanceId: 2, pattern: 'training' },
              ],
            },
          ],
        },
      ],
    },
  ],
};

const AT = Date.parse('2026-12-06T12:00:00Z');

describe('FleetModel.activityTruth', () => {
  it('maps each pattern to the state it implies, MIG instances included', () => {
    const model = new FleetModel(scenario);
    const truth = model.activityTruth('c', AT);
    expect(truth.map((t) => [t.pattern, t.state, t.wasted])).toEqual([
      ['training', 'ACTIVE', false],
      ['notebook', 'IDLE_HELD', true],
      ['allocated-empty', 'IDLE_ALLOCATED', true],
      ['unallocated', 'UNALLOCATED', false],
      ['prof-zero', 'ACTIVE', false],
      ['inference', 'ACTIVE', false],
      ['dataloader-stall', 'ACTIVE', false],
      ['notebook', 'IDLE_HELD', true],
      ['training', 'ACTIVE', false],
    ]);
    expect(truth[7]?.key).toBe(`${truth[7]?.uuid}/1`);
    expect(truth.every((t) => t.sinceMs === undefined)).toBe(true);
  });

  it('dates a pattern switch and makes a frozen GPU UNKNOWN from the moment it froze', () => {
    const model = new FleetModel(scenario);
    const truth = model.activityTruth('c', AT);
    expect(truth.length).toBeGreaterThanOrEqual(2);
    const [training, notebook] = truth as [ActivityTruth, ActivityTruth];
    model.setPattern(training.uuid, undefined, 'notebook', undefined, AT + 1000);
    model.frozen.freeze(notebook.uuid, AT + 5000);
    const before = model.activityTruth('c', AT + 2000);
    expect(before[0]).toMatchObject({ state: 'IDLE_HELD', sinceMs: AT + 1000, wasted: true });
    expect(before[1]?.state).toBe('IDLE_HELD');
    const after = model.activityTruth('c', AT + 6000);
    expect(after[1]).toMatchObject({ state: 'UNKNOWN', sinceMs: AT + 5000, wasted: false });
  });

  it('agrees with the readings: idle truths run nothing, held ones keep memory, allocated-empty keeps none', () => {
    const model = new FleetModel(scenario);
    const rows = model.gpus('c', AT);
    for (const t of model.activityTruth('c', AT)) {
      const g = rows.find((r) => r.uuid === t.uuid && r.migInstanceId === t.migInstanceId)!;
      const usedShare = g.memoryUsedMiB / (g.memoryUsedMiB + g.memoryFreeMiB);
      if (t.wasted) expect(g.grEngineActiveRatio).toBe(0);
      if (t.state === 'IDLE_HELD') expect(usedShare).toBeGreaterThan(0.05);
      if (t.state === 'IDLE_ALLOCATED') expect(usedShare).toBeLessThan(0.01);
      if (t.state !== 'UNALLOCATED') expect(g.pod).toBeDefined();
    }
  });

  it('serves 0 on the PROF fields of a prof-zero GPU while GPU_UTIL and power show the work', () => {
    const model = new FleetModel(scenario);
    const g = model.gpus('c', AT).find((r) => r.pattern === 'prof-zero')!;
    expect(g.grEngineActiveRatio).toBe(0);
    expect(g.dramActiveRatio).toBe(0);
    expect(g.tensorActiveRatio).toBe(0);
    expect(g.utilizationPercent).toBeGreaterThan(80);
    expect(g.powerWatts / g.powerLimitWatts).toBeGreaterThan(0.75);
  });
});
