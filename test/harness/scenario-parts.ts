import type { ScenarioGpu } from '@kcloud/fleet-model';

/**
 * A MIG board split into a 3g.40gb instance serving inference (pod tri-0) and an unallocated 1g.10gb one: the board
 * the accelerator suites read through every exporter shape.
 */
export function inferenceMigBoard(inferenceInstanceId: number, spareInstanceId: number): ScenarioGpu {
  return {
    mig: [
      {
        profile: '3g.40gb',
        instanceId: inferenceInstanceId,
        pattern: 'inference',
        namespace: 'inference',
        pod: 'tri-0',
      },
      { profile: '1g.10gb', instanceId: spareInstanceId, pattern: 'unallocated' },
    ],
  };
}
