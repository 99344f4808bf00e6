import { eq } from '@kcloud/prometheus';
import { parsePromQL } from '@kcloud/prometheus/testing';
import { facilityQuery } from '../facility/facility.prometheus';
import { ipmiSensorsQuery } from '../ipmi/ipmi-sensors';
import { kubeNodesQuery } from './kube-nodes';
import { nodePowerQuery } from './node-power-query';
import { workloadQuery } from './workload-query';

const watts = { kind: 'watts', windowSeconds: 120 } as const;
const energy = { kind: 'energy', windowSeconds: 3600 } as const;
const scope = [eq('cluster', 'east')];

describe('power queries', () => {
  const queries: [string, string][] = [
    ['node power ≥0.10', nodePowerQuery('v0.10', scope, watts, true)],
    ['node power ≤0.7', nodePowerQuery('v0.7', scope, watts, true)],
    ['node energy', nodePowerQuery('v0.10', scope, energy, false)],
    [
      'pods ≥0.10',
      workloadQuery('v0.10', scope, { namespaces: ['ml'] }, watts, {
        level: 'pod',
        kube: true,
        counters: true,
      }),
    ],
    [
      'containers ≥0.10',
      workloadQuery('v0.10', scope, {}, watts, { level: 'container', kube: true, counters: true }),
    ],
    [
      'pods ≤0.7',
      workloadQuery('v0.7', scope, { pods: ['a'] }, energy, { level: 'pod', kube: false, counters: false }),
    ],
    ['kube nodes', kubeNodesQuery(scope)],
    ['ipmi', ipmiSensorsQuery(scope, ['power', 'temperature'])],
    ['facility', facilityQuery('sum(facility_power_watts)')],
  ];

  it.each(queries)('%s parses as PromQL', (_name, query) => {
    expect(parsePromQL(query).errors).toEqual([]);
  });

  it('reads each Kepler version by its own names and scopes every selector to the cluster', () => {
    const v010 = nodePowerQuery('v0.10', scope, watts, true);
    const v07 = nodePowerQuery('v0.7', scope, watts, true);
    expect(v010).toContain(
      'rate(kepler_node_cpu_joules_total{cluster="east", zone=~"package|core|dram"}[120s])',
    );
    expect(v010).toContain('kepler_platform_watts');
    expect(v010).not.toContain('kepler_node_package_joules_total');
    expect(v07).toContain('rate(kepler_node_package_joules_total{cluster="east"}[120s])');
    expect(v07).toContain('kepler_node_other_joules_total');
    for (const q of [v010, v07]) {
      expect(q).toContain('ipmi_dcmi_power_consumption_watts{cluster="east"}');
      expect(q).toContain(
        'max by (UUID, Hostname, hostname, instance) (DCGM_FI_DEV_POWER_USAGE{cluster="east"})',
      );
    }
  });

  it('reads energy as counter increases and gauge averages over the window', () => {
    const q = nodePowerQuery('v0.10', [], energy, false);
    expect(q).toContain('increase(kepler_node_cpu_joules_total{zone=~"package|core|dram"}[3600s])');
    expect(q).toContain('avg_over_time(ipmi_dcmi_power_consumption_watts[3600s])');
    expect(q).not.toContain('rate(');
  });

  it('keeps a hostile namespace inside one string literal', () => {
    const hostile = 'ml"} or vector(1) #';
    const q = workloadQuery('v0.10', [], { namespaces: [hostile] }, watts, {
      level: 'pod',
      kube: true,
      counters: false,
    });
    const parsed = parsePromQL(q);
    expect(parsed.errors).toEqual([]);
    expect(
      parsed.strings.filter((s) => s.includes('vector(1)')).every((s) => s === 'ml"\\} or vector\\(1\\) #'),
    ).toBe(true);
    expect(parsed.count('FunctionCall')).toBe(
      parsePromQL(
        workloadQuery('v0.10', [], { namespaces: ['ml'] }, watts, {
          level: 'pod',
          kube: true,
          counters: false,
        }),
      ).count('FunctionCall'),
    );
  });
});
