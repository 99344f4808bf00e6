import { UNIFIED_COLUMNS, unifiedClusterSteps, unifiedRows } from './unified-power';

const T0 = Date.UTC(2026, 0, 1);
const T1 = T0 + 60_000;
const pts = (...values: number[]) => values.map((value, i) => ({ timestampMs: T0 + i * 60_000, value }));

const NODES = [
  {
    cluster: 'east',
    node: 'a',
    components: {
      serverInputWatts: pts(1000, 1200),
      cpuPackageWatts: pts(300, 300),
      gpuWatts: pts(500, 600),
    },
  },
  { cluster: 'east', node: 'b', components: { serverInputWatts: pts(1000, 800), dramWatts: pts(50, 50) } },
  // Components only: whole power counts them, but IT power (servers' input) is incomplete, so no PUE.
  { cluster: 'west', node: 'c', components: { cpuPackageWatts: pts(100), gpuWatts: pts(300) } },
];
const METER = [
  { cluster: 'east', points: pts(3000, 2600) },
  { cluster: 'west', points: pts(700) },
];

describe('unifiedClusterSteps', () => {
  it('sums whole-node power per cluster and step, splits it by resource type and divides facility by IT power', () => {
    const steps = unifiedClusterSteps(NODES, METER, { description: 'meter' });
    expect(steps.map((s) => [s.at, s.cluster, s.powerWatts, s.byType, s.pue.value])).toEqual([
      [T0, 'east', 2000, { CPU: 300, DRAM: 50, GPU: 500, OTHER: 1150 }, 1.5],
      // OTHER is whole − attributed, as GraphQL's RESOURCE_TYPE breakdown says: 0 where the parts are the whole.
      [T0, 'west', 400, { CPU: 100, GPU: 300, OTHER: 0 }, null],
      [T1, 'east', 2000, { CPU: 300, DRAM: 50, GPU: 600, OTHER: 1050 }, 1.3],
    ]);
    expect(steps[1]!.pue.reason).toMatch(/report neither IPMI DCMI nor Kepler platform/);
    expect(steps[0]!.pue).toMatchObject({ itPowerWatts: 2000, facilityPowerWatts: 3000, method: 'MEASURED' });
  });

  it('has no PUE value at a step the meter did not read, and the overhead factor when no meter is configured', () => {
    const gap = unifiedClusterSteps(NODES, [{ cluster: 'east', points: pts(3000) }], {
      description: 'meter',
    });
    expect(gap.find((s) => s.at === T1 && s.cluster === 'east')!.pue).toMatchObject({
      value: null,
      reason: "the facility source returned no data for cluster 'east'",
    });
    const factor = unifiedClusterSteps(NODES, [], { overheadFactor: 1.4 });
    expect(factor[0]!.pue).toMatchObject({ value: 1.4, facilityPowerWatts: 2800, method: 'OVERHEAD_FACTOR' });
    expect(unifiedClusterSteps(NODES, [], {})[0]!.pue).toMatchObject({ value: null, method: 'NONE' });
  });

  it('writes machine rows with empty cells where a type, IT power or PUE has no value', () => {
    expect(UNIFIED_COLUMNS.map((c) => c.name)).toEqual([
      'timestamp',
      'cluster',
      'power_watts',
      'cpu_watts',
      'dram_watts',
      'gpu_watts',
      'npu_watts',
      'other_watts',
      'it_power_watts',
      'facility_power_watts',
      'pue',
    ]);
    const rows = unifiedRows(unifiedClusterSteps(NODES, METER, { description: 'meter' }));
    expect(rows[0]).toEqual([new Date(T0), 'east', 2000, 300, 50, 500, null, 1150, 2000, 3000, 1.5]);
    expect(rows[1]).toEqual([new Date(T0), 'west', 400, 100, null, 300, null, 0, null, null, null]);
  });
});
