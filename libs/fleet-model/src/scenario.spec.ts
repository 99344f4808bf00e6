import { join } from 'node:path';

import {
  defaultScenario,
  FleetModel,
  FleetModelError,
  loadScenarioFile,
  parseScenario,
} from '@kcloud/fleet-model';

const SCENARIOS = join(__dirname, '..', 'scenarios');

function problemsOf(text: string): string {
  try {
    parseScenario(text, 'test');
  } catch (e) {
    expect(e).toBeInstanceOf(FleetModelError);
    expect((e as FleetModelError).code).toBe('BAD_USER_INPUT');
    return (e as Error).message;
  }
  throw new Error('expected the scenario to be rejected');
}

describe('scenario files', () => {
  it('ships demo.yaml equal to the embedded defaultScenario()', () => {
    expect(loadScenarioFile(join(SCENARIOS, 'demo.yaml'))).toEqual(defaultScenario());
  });

  it('ships bench-10k.yaml with exactly 10,000 GPUs', () => {
    const m = FleetModel.fromFile(join(SCENARIOS, 'bench-10k.yaml'));
    expect(m.gpus()).toHaveLength(10_000);
    expect(m.clusters()).toHaveLength(2);
  });

  it('reads JSON as well as YAML', () => {
    const json = JSON.stringify({
      seed: 1,
      clusters: [{ name: 'c', generate: { nodes: 2, gpusPerNode: 4 } }],
    });
    expect(new FleetModel(parseScenario(json)).gpus()).toHaveLength(8);
  });

  it('lists every problem of a broken scenario at once', () => {
    const message = problemsOf(`
seed: 1
tickSeconds: -1
clusters:
  - name: a
    nodes:
      - name: n1
        gpuModel: NVIDIA Z9000
        gpus:
          - { pattern: mining }
          - { pattern: unallocated, pod: p }
      - name: n1
        gpuModel: Tesla T4
        gpus:
          - mig: [{ profile: 1g.10gb, instanceId: 1, pattern: training }]
      - name: n2
        gpuModel: NVIDIA A100-SXM4-80GB
        gpus:
          - mig:
              - { profile: 4g.40gb, instanceId: 1, pattern: training }
              - { profile: 4g.40gb, instanceId: 1, pattern: training }
              - { profile: 9g.90gb, instanceId: 3, pattern: training }
  - name: a
    generate: { nodes: 0, gpusPerNode: 8, mix: { training: 1, crypto: 2 } }
`);
    for (const expected of [
      'tickSeconds: a positive number is required',
      'clusters: duplicate name "a"',
      'clusters[0].nodes: duplicate name "n1"',
      'clusters[0].nodes[0].gpuModel: unknown GPU model',
      'clusters[0].nodes[0].gpus[0].pattern: one of training',
      'clusters[0].nodes[0].gpus[1]: an unallocated device has no namespace/pod/container',
      'clusters[0].nodes[1].gpus[0].mig: Tesla T4 does not support MIG',
      'clusters[0].nodes[2].gpus[0].mig[1].instanceId: duplicate 1',
      'clusters[0].nodes[2].gpus[0].mig[2].profile: unknown MIG profile',
      'clusters[0].nodes[2].gpus[0].mig: 8 compute slices exceed the 7 of a GPU',
      'clusters[1].generate.nodes: a positive integer is required',
      'clusters[1].generate.mix.crypto: unknown pattern',
    ])
      expect(message).toContain(expected);
  });

  it('rejects a scenario that runs one pod on two nodes', () => {
    expect(
      () =>
        new FleetModel({
          seed: 1,
          clusters: [
            {
              name: 'c',
              nodes: ['a', 'b'].map((name) => ({
                name,
                gpuModel: 'Tesla T4',
                gpus: [{ pattern: 'training' as const, namespace: 'ns', pod: 'same', container: 'x' }],
              })),
            },
          ],
        }),
    ).toThrow(/would run on two nodes/);
  });

  it('rejects text that is not YAML', () => {
    expect(problemsOf('seed: [1,\n')).toContain('not valid YAML/JSON');
  });
});
