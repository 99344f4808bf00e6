import type { KeplerVersion } from '@kcloud/common';
import {
  aggregate,
  binary,
  eq,
  type Matcher,
  nre,
  num,
  oneOf,
  type PromQL,
  re,
  selector,
} from '@kcloud/prometheus';
import { KEPLER_GENERATIONS, type WorkloadFamily } from './kepler-generations';
import { byNames, counter, type PowerReading, tag, union } from './power-promql';

export const POD_PARTS = {
  cpu: 'cpu',
  dram: 'dram',
  gpu: 'gpu',
  cpuJoules: 'cpu_j',
  gpuJoules: 'gpu_j',
  info: 'info',
  gpuRequests: 'gpu_requests',
  phase: 'phase',
  pods: 'pods',
} as const;

/** Label names of a workload in each Kepler generation. */
export function workloadLabels(version: KeplerVersion): {
  namespace: string;
  pod: string;
  node: readonly string[];
} {
  return KEPLER_GENERATIONS[version].workload.labels;
}

export interface WorkloadFilterValues {
  readonly namespaces?: readonly string[];
  readonly pods?: readonly string[];
}

function tenantMatchers(namespaceLabel: string, podLabel: string, f: WorkloadFilterValues): Matcher[] {
  const m: Matcher[] = [];
  if (f.namespaces) m.push(oneOf(namespaceLabel, f.namespaces));
  if (f.pods) m.push(oneOf(podLabel, f.pods));
  return m;
}

/**
 * Pod power and energy from Kepler plus placement, phase and GPU requests from kube-state-metrics, one request.
 * `level: 'container'` keeps Kepler's container identity (and, for ≥0.10, the pod_id → pod map the join needs).
 */
export interface WorkloadQueryShape {
  readonly level: 'pod' | 'container';
  /** Add kube-state-metrics placement, phase and GPU requests. */
  readonly kube: boolean;
  /** Add Kepler's absolute joule counters (current snapshots). */
  readonly counters: boolean;
}

export function workloadQuery(
  version: KeplerVersion,
  scope: readonly Matcher[],
  filter: WorkloadFilterValues,
  reading: PowerReading,
  { level, kube, counters }: WorkloadQueryShape,
): PromQL {
  const s = [...scope];
  const g = KEPLER_GENERATIONS[version].workload;
  const w = g.labels;
  const tenant = tenantMatchers(w.namespace, w.pod, filter);
  const by = level === 'pod' ? [w.namespace, w.pod, ...w.node] : [...g.containerKeys, ...w.node];
  // ≥0.10's container series carry no namespace: they are filtered through the pod map, not by matchers.
  const m = [
    ...s,
    ...(level === 'pod' || g.containersCarryTenant ? tenant : []),
    ...(g.pseudoNamespaces ? [nre(w.namespace, g.pseudoNamespaces)] : []),
  ];
  const metricOf = (f: WorkloadFamily): string | readonly string[] =>
    typeof f.metric === 'string' ? f.metric.replace('{family}', g.family[level]) : f.metric;
  const matchersOf = (f: WorkloadFamily): Matcher[] =>
    f.zone ? [...m, eq('zone', f.zone)] : f.zones ? [...m, re('zone', f.zones)] : m;
  const read = (f: WorkloadFamily, asCounter: boolean): PromQL => {
    const metric = metricOf(f);
    const value =
      asCounter && typeof metric === 'string'
        ? counter(reading, metric, matchersOf(f))
        : byNames(metric, matchersOf(f));
    return tag(aggregate('sum', by, value), POD_PARTS[f.part]);
  };
  const parts: PromQL[] = g.watts.map((f) => read(f, true));
  if (counters) parts.push(...g.counters.map((f) => read(f, false)));
  if (level === 'container' && !g.containersCarryTenant)
    parts.push(
      tag(
        aggregate(
          'count',
          ['pod_id', w.namespace, w.pod],
          selector(`${g.family.pod}_cpu_joules_total`, [...s, ...tenant, eq('zone', 'package')]),
        ),
        POD_PARTS.pods,
      ),
    );
  if (kube) parts.push(...kubePodParts(s, filter, level));
  return union(parts);
}

/** kube-state-metrics' placement, GPU requests and phase of the same pods (or containers). */
function kubePodParts(
  s: readonly Matcher[],
  filter: WorkloadFilterValues,
  level: 'pod' | 'container',
): PromQL[] {
  const k = [...s, ...tenantMatchers('namespace', 'pod', filter)];
  const requestBy = level === 'pod' ? ['namespace', 'pod'] : ['namespace', 'pod', 'container'];
  return [
    tag(aggregate('max', ['namespace', 'pod', 'uid', 'node'], selector('kube_pod_info', k)), POD_PARTS.info),
    tag(
      aggregate(
        'sum',
        requestBy,
        selector('kube_pod_container_resource_requests', [...k, eq('resource', 'nvidia_com_gpu')]),
      ),
      POD_PARTS.gpuRequests,
    ),
    tag(
      aggregate(
        'max',
        ['namespace', 'pod', 'phase'],
        binary(selector('kube_pod_status_phase', k), '==', num(1)),
      ),
      POD_PARTS.phase,
    ),
  ];
}
