import { nodePowerSteps } from '../datasets/node-power-rows';
import { nodePowerByCluster, nodePowerSection } from './node-power-section';

const T = (i: number) => Date.UTC(2026, 0, 1) + i * 60_000;
const pts = (...values: number[]) => values.map((value, i) => ({ timestampMs: T(i), value }));

describe('node power by cluster (report)', () => {
  const steps = nodePowerSteps([
    { cluster: 'east', node: 'a', components: { serverInputWatts: pts(1000, 2000, 1000) } },
    { cluster: 'east', node: 'b', components: { platformWatts: pts(500, 500, 500) } },
    { cluster: 'west', node: 'c', components: { cpuPackageWatts: pts(100, 100), gpuWatts: pts(300, 500) } },
  ]);

  it('sums whole-node power per step, averages and peaks it, integrates energy by the trapezoid rule', () => {
    expect(nodePowerByCluster(steps, 60)).toEqual([
      // steps 1500, 2500, 1500 W: average 1833.3, peak 2500, energy (2000 + 2000) · 60 J
      {
        cluster: 'east',
        nodes: 2,
        averageWatts: 5500 / 3,
        peakWatts: 2500,
        averageServerInputWatts: 4000 / 3,
        energyJoules: 240_000,
      },
      { cluster: 'west', nodes: 1, averageWatts: 500, peakWatts: 600, energyJoules: 30_000 },
    ]);
  });

  it('leaves the IPMI cell empty where no BMC reports', () => {
    const section = nodePowerSection(nodePowerByCluster(steps, 60));
    expect(section.columns.map((c) => c.name)).toContain('average_server_input_watts');
    expect(section.rows.map((r) => r[4])).toEqual([1333.333, null]);
  });
});
