import type { NodePowerSample } from '@kcloud/metrics-source';
import { ItPowerSource, PueMethod } from './models/pue.model';
import { computePue } from './pue';

const at = new Date(0);
const n = (name: string, s: Partial<NodePowerSample>): NodePowerSample => ({
  cluster: 'c',
  node: name,
  observedAt: at,
  ...s,
});
const measured: [NodePowerSample, NodePowerSample] = [
  n('a', { serverInputWatts: 1000, cpuPackageWatts: 200, dramWatts: 50, gpuWatts: 600 }),
  n('b', { serverInputWatts: 500, cpuPackageWatts: 150, dramWatts: 30 }),
];
const meter = (watts?: number) => ({
  configured: true as const,
  description: 'PUE_FACILITY_QUERY: sum(facility_power_watts)',
  watts,
});

describe('computePue', () => {
  it.each([
    [
      'a metered facility',
      { nodes: measured, facility: meter(2025) },
      { value: 1.35, method: PueMethod.MEASURED, itPowerWatts: 1500, facilityPowerWatts: 2025, reason: null },
    ],
    [
      'an overhead factor (labelled estimate)',
      { nodes: measured, overheadFactor: 1.6 },
      { value: 1.6, method: PueMethod.OVERHEAD_FACTOR, facilityPowerWatts: 2400 },
    ],
    [
      'a meter that wins over a factor',
      { nodes: measured, facility: meter(1800), overheadFactor: 1.6 },
      { value: 1.2, method: PueMethod.MEASURED },
    ],
    ['no facility source', { nodes: measured }, { value: null, method: PueMethod.NONE, itPowerWatts: 1500 }],
    [
      'a meter without data',
      { nodes: measured, facility: meter(undefined) },
      { value: null, method: PueMethod.MEASURED },
    ],
    ['no nodes', { nodes: [], facility: meter(100) }, { value: null, itPowerWatts: null }],
    [
      'a node without DCMI or platform power',
      { nodes: [...measured, n('x', { cpuPackageWatts: 10 })], facility: meter(2000) },
      { value: null, itPowerWatts: null },
    ],
  ])('with %s', (_name, inputs, expected) => {
    const pue = computePue({ cluster: 'c', ...inputs });
    expect(pue).toMatchObject(expected);
    if (pue.value === null) expect(pue.reason).toEqual(expect.any(String));
  });

  it('never invents a value: the reason names the settings to make', () => {
    expect(computePue({ cluster: 'c', nodes: measured }).reason).toMatch(
      /PUE_FACILITY_QUERY.*PUE_OVERHEAD_FACTOR/,
    );
  });

  it('reports unattributed server power apart from PUE, and where IT power came from', () => {
    const pue = computePue({ cluster: 'c', nodes: measured, facility: meter(2025) });
    expect(pue.unattributedWatts).toBe(1000 - 850 + (500 - 180));
    expect(pue.itPowerSource).toBe(ItPowerSource.IPMI_DCMI);
    const mixed = computePue({ cluster: 'c', nodes: [measured[0], n('k', { platformWatts: 300 })] });
    expect([mixed.itPowerSource, mixed.itPowerWatts]).toEqual([ItPowerSource.MIXED, 1300]);
  });
});
