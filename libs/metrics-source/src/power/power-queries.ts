import type { KeplerVersion } from '@kcloud/common';
import {
  aggregate,
  binary,
  labelReplace,
  type Matcher,
  num,
  oneOf,
  or,
  type PromQL,
  rangeFn,
  re,
  selector,
  selectorByNames,
  eq,
  nre,
} from '@kcloud/prometheus';
import { DCGM_FP64_BLANK } from '../quality/reading-value';

/**
 * The PromQL of the power side, one union query per call and cluster: every part is aggregated to the labels that
 * identify its object and tagged with `kcloud_part`, then the parts are joined with `or` (their label sets differ by
 * the tag, so none is dropped). Node identity is read in memory from whichever label the exporter uses
 * (power-join.ts). Counters become watts with `rate()` over the configured window.
 */
export const PART = 'kcloud_part';

/** Every label an exporter may name the node with; absent ones are simply not there after `by (…)`. */
export const NODE_LABELS = ['node_name', 'Hostname', 'hostname', 'exported_instance', 'instance'] as const;

const tag = (expr: PromQL, part: string): PromQL => labelReplace(expr, PART, part, '__name__', '.*');
const union = (parts: readonly PromQL[]): PromQL => parts.reduce((a, b) => or(a, b));
const rate = (metric: string, matchers: readonly Matcher[], windowSeconds: number): PromQL =>
  rangeFn('rate', selector(metric, matchers), windowSeconds);
const increase = (metric: string, matchers: readonly Matcher[], windowSeconds: number): PromQL =>
  rangeFn('increase', selector(metric, matchers), windowSeconds);

/** How counters are read: watts now (`rate`), or joules used over a window (`increase`; gauges averaged). */
export type PowerReading =
  | { readonly kind: 'watts'; readonly windowSeconds: number }
  | { readonly kind: 'energy'; readonly windowSeconds: number };

/**
 * A counter stuck at a blank sentinel has a rate of 0 — a wrong 0 W, not a reading. Dividing by `X < bool blank`
 * (1 for a real value, 0 for a blank now) turns that series into NaN, which the reading-quality layer refuses.
 */
const counter = (reading: PowerReading, metric: string, m: readonly Matcher[]): PromQL =>
  binary(
    reading.kind === 'watts'
      ? rate(metric, m, reading.windowSeconds)
      : increase(metric, m, reading.windowSeconds),
    '/',
    binary(selector(metric, m), '<', num(DCGM_FP64_BLANK), { bool: true }),
  );
/** A gauge in watts: its value now, or its average over the energy window (the join multiplies by the window). */
const gauge = (reading: PowerReading, metric: string, m: readonly Matcher[]): PromQL =>
  reading.kind === 'watts'
    ? selector(metric, m)
    : rangeFn('avg_over_time', selector(metric, m), reading.windowSeconds);
const gaugeByNames = (reading: PowerReading, names: readonly string[], m: readonly Matcher[]): PromQL =>
  reading.kind === 'watts'
    ? selectorByNames(names, m)
    : rangeFn('avg_over_time', selectorByNames(names, m), reading.windowSeconds);

/** Names of the node power parts; `*_j` parts are joule counters (absolute), `usage` a ratio. */
export const NODE_PARTS = {
  cpu: 'cpu',
  gpu: 'gpu',
  other: 'other',
  platform: 'platform',
  /** ≤0.7's platform is a joule counter, read like the other counters. */
  platformCounter: 'platform_c',
  dcgmGpu: 'dcgm_gpu',
  npuFuriosa: 'npu_furiosa',
  npuRebellions: 'npu_rbln',
  dcmi: 'dcmi',
  usage: 'usage',
  cpuJoules: 'cpu_j',
  gpuJoules: 'gpu_j',
} as const;

/** Gauge parts: in an energy reading they hold the window's average watts. */
export const GAUGE_PARTS: ReadonlySet<string> = new Set([
  NODE_PARTS.platform,
  NODE_PARTS.dcgmGpu,
  NODE_PARTS.npuFuriosa,
  NODE_PARTS.npuRebellions,
  NODE_PARTS.dcmi,
]);

const LEGACY_NODE = ['exported_instance', 'instance'];

/**
 * Node power of one cluster: Kepler components, dcgm-exporter board power (each UUID once: MIG rows repeat it), NPU
 * board power (each device once: partitioned furiosa devices repeat per pod), DCMI server power per BMC. With
 * `withCounters`, also Kepler's absolute joule counters and the CPU usage ratio (current snapshots only).
 */
export function nodePowerQuery(
  version: KeplerVersion,
  scope: readonly Matcher[],
  reading: PowerReading,
  withCounters: boolean,
): PromQL {
  const s = [...scope];
  const parts: PromQL[] = [];
  if (version === 'v0.10') {
    const nodeBy = ['node_name'];
    parts.push(
      tag(
        aggregate(
          'sum',
          [...nodeBy, 'zone'],
          counter(reading, 'kepler_node_cpu_joules_total', [...s, re('zone', 'package|core|dram')]),
        ),
        NODE_PARTS.cpu,
      ),
    );
    parts.push(
      tag(aggregate('sum', nodeBy, counter(reading, 'kepler_node_gpu_joules_total', s)), NODE_PARTS.gpu),
    );
    parts.push(
      tag(aggregate('max', nodeBy, gauge(reading, 'kepler_platform_watts', s)), NODE_PARTS.platform),
    );
    if (withCounters) {
      parts.push(
        tag(
          aggregate(
            'sum',
            [...nodeBy, 'zone'],
            selector('kepler_node_cpu_joules_total', [...s, re('zone', 'package|dram')]),
          ),
          NODE_PARTS.cpuJoules,
        ),
      );
      parts.push(
        tag(aggregate('sum', nodeBy, selector('kepler_node_gpu_joules_total', s)), NODE_PARTS.gpuJoules),
      );
      parts.push(tag(aggregate('max', nodeBy, selector('kepler_node_cpu_usage_ratio', s)), NODE_PARTS.usage));
    }
  } else {
    // ≤0.7: one family per component; `zone` is synthesised so the join reads both versions alike.
    for (const [component, zone] of [
      ['package', 'package'],
      ['core', 'core'],
      ['dram', 'dram'],
    ] as const)
      parts.push(
        tag(
          labelReplace(
            aggregate('sum', LEGACY_NODE, counter(reading, `kepler_node_${component}_joules_total`, s)),
            'zone',
            zone,
            '__name__',
            '.*',
          ),
          NODE_PARTS.cpu,
        ),
      );
    parts.push(
      tag(aggregate('sum', LEGACY_NODE, counter(reading, 'kepler_node_gpu_joules_total', s)), NODE_PARTS.gpu),
    );
    parts.push(
      tag(
        aggregate('sum', LEGACY_NODE, counter(reading, 'kepler_node_other_joules_total', s)),
        NODE_PARTS.other,
      ),
    );
    parts.push(
      tag(
        aggregate('sum', LEGACY_NODE, counter(reading, 'kepler_node_platform_joules_total', s)),
        NODE_PARTS.platformCounter,
      ),
    );
    if (withCounters) {
      for (const [component, zone] of [
        ['package', 'package'],
        ['dram', 'dram'],
      ] as const)
        parts.push(
          tag(
            labelReplace(
              aggregate('sum', LEGACY_NODE, selector(`kepler_node_${component}_joules_total`, s)),
              'zone',
              zone,
              '__name__',
              '.*',
            ),
            NODE_PARTS.cpuJoules,
          ),
        );
      parts.push(
        tag(aggregate('sum', LEGACY_NODE, selector('kepler_node_gpu_joules_total', s)), NODE_PARTS.gpuJoules),
      );
    }
  }
  parts.push(
    tag(
      aggregate(
        'sum',
        ['Hostname', 'hostname', 'instance'],
        aggregate(
          'max',
          ['UUID', 'Hostname', 'hostname', 'instance'],
          gauge(reading, 'DCGM_FI_DEV_POWER_USAGE', s),
        ),
      ),
      NODE_PARTS.dcgmGpu,
    ),
    tag(
      aggregate(
        'sum',
        ['hostname'],
        aggregate('max', ['uuid', 'hostname'], gauge(reading, 'furiosa_npu_hw_power', s)),
      ),
      NODE_PARTS.npuFuriosa,
    ),
    // Rebellions renamed its metrics in v0.2.4 and kept the old names as aliases: read both, count each card once.
    tag(
      aggregate(
        'sum',
        ['hostname'],
        aggregate(
          'max',
          ['uuid', 'hostname'],
          gaugeByNames(reading, ['RBLN_DEVICE_STATUS:CARD_POWER', 'rbln_npu_power'], s),
        ),
      ),
      NODE_PARTS.npuRebellions,
    ),
    tag(
      aggregate('max', ['instance'], gauge(reading, 'ipmi_dcmi_power_consumption_watts', s)),
      NODE_PARTS.dcmi,
    ),
  );
  return union(parts);
}

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

/** Label names of a workload in each Kepler version. */
export function workloadLabels(version: KeplerVersion): {
  namespace: string;
  pod: string;
  node: readonly string[];
} {
  return version === 'v0.10'
    ? { namespace: 'pod_namespace', pod: 'pod_name', node: ['node_name'] }
    : { namespace: 'container_namespace', pod: 'pod_name', node: ['instance'] };
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

/** Kepler ≤0.7 books work outside containers to pseudo-containers in these namespaces; they are not pods. */
const LEGACY_PSEUDO_NAMESPACES = 'system|kernel';

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
  const w = workloadLabels(version);
  const tenant = tenantMatchers(w.namespace, w.pod, filter);
  const parts: PromQL[] = [];
  if (version === 'v0.10') {
    const by =
      level === 'pod'
        ? [w.namespace, w.pod, ...w.node]
        : ['container_id', 'container_name', 'pod_id', ...w.node];
    // Container series carry no namespace: they are filtered through the pod map, not by matchers.
    const m = level === 'pod' ? [...s, ...tenant] : s;
    const family = level === 'pod' ? 'kepler_pod' : 'kepler_container';
    parts.push(
      tag(
        aggregate('sum', by, counter(reading, `${family}_cpu_joules_total`, [...m, eq('zone', 'package')])),
        POD_PARTS.cpu,
      ),
    );
    parts.push(
      tag(
        aggregate('sum', by, counter(reading, `${family}_cpu_joules_total`, [...m, eq('zone', 'dram')])),
        POD_PARTS.dram,
      ),
    );
    parts.push(tag(aggregate('sum', by, counter(reading, `${family}_gpu_joules_total`, m)), POD_PARTS.gpu));
    if (counters) {
      parts.push(
        tag(
          aggregate('sum', by, selector(`${family}_cpu_joules_total`, [...m, re('zone', 'package|dram')])),
          POD_PARTS.cpuJoules,
        ),
      );
      parts.push(tag(aggregate('sum', by, selector(`${family}_gpu_joules_total`, m)), POD_PARTS.gpuJoules));
    }
    if (level === 'container')
      parts.push(
        tag(
          aggregate(
            'count',
            ['pod_id', w.namespace, w.pod],
            selector('kepler_pod_cpu_joules_total', [...s, ...tenant, eq('zone', 'package')]),
          ),
          POD_PARTS.pods,
        ),
      );
  } else {
    const by =
      level === 'pod'
        ? [w.namespace, w.pod, ...w.node]
        : ['container_id', 'container_name', w.namespace, w.pod, ...w.node];
    const m = [...s, ...tenant, nre(w.namespace, LEGACY_PSEUDO_NAMESPACES)];
    parts.push(
      tag(aggregate('sum', by, counter(reading, 'kepler_container_package_joules_total', m)), POD_PARTS.cpu),
    );
    parts.push(
      tag(aggregate('sum', by, counter(reading, 'kepler_container_dram_joules_total', m)), POD_PARTS.dram),
    );
    parts.push(
      tag(aggregate('sum', by, counter(reading, 'kepler_container_gpu_joules_total', m)), POD_PARTS.gpu),
    );
    if (counters) {
      parts.push(
        tag(
          aggregate(
            'sum',
            by,
            selectorByNames(
              ['kepler_container_package_joules_total', 'kepler_container_dram_joules_total'],
              m,
            ),
          ),
          POD_PARTS.cpuJoules,
        ),
      );
      parts.push(
        tag(aggregate('sum', by, selector('kepler_container_gpu_joules_total', m)), POD_PARTS.gpuJoules),
      );
    }
  }
  if (kube) {
    const k = [...s, ...tenantMatchers('namespace', 'pod', filter)];
    parts.push(
      tag(
        aggregate('max', ['namespace', 'pod', 'uid', 'node'], selector('kube_pod_info', k)),
        POD_PARTS.info,
      ),
    );
    const requestBy = level === 'pod' ? ['namespace', 'pod'] : ['namespace', 'pod', 'container'];
    parts.push(
      tag(
        aggregate(
          'sum',
          requestBy,
          selector('kube_pod_container_resource_requests', [...k, eq('resource', 'nvidia_com_gpu')]),
        ),
        POD_PARTS.gpuRequests,
      ),
    );
    parts.push(
      tag(
        aggregate(
          'max',
          ['namespace', 'pod', 'phase'],
          binary(selector('kube_pod_status_phase', k), '==', num(1)),
        ),
        POD_PARTS.phase,
      ),
    );
  }
  return union(parts);
}

export const KUBE_NODE_PARTS = { info: 'info', capacity: 'capacity', allocatable: 'allocatable' } as const;

export function kubeNodesQuery(scope: readonly Matcher[]): PromQL {
  const s = [...scope];
  return union([
    tag(
      aggregate('max', ['node', 'internal_ip', 'kubelet_version'], selector('kube_node_info', s)),
      KUBE_NODE_PARTS.info,
    ),
    tag(
      aggregate('max', ['node', 'resource'], selector('kube_node_status_capacity', s)),
      KUBE_NODE_PARTS.capacity,
    ),
    tag(
      aggregate('max', ['node', 'resource'], selector('kube_node_status_allocatable', s)),
      KUBE_NODE_PARTS.allocatable,
    ),
  ]);
}

/** ipmi_exporter's sensor families: value and state per type (METRICS.md §3). */
export const IPMI_FAMILIES = {
  power: { value: 'ipmi_power_watts', state: 'ipmi_power_state', unit: 'W' },
  temperature: { value: 'ipmi_temperature_celsius', state: 'ipmi_temperature_state', unit: 'C' },
  fan: { value: 'ipmi_fan_speed_rpm', state: 'ipmi_fan_speed_state', unit: 'RPM' },
  voltage: { value: 'ipmi_voltage_volts', state: 'ipmi_voltage_state', unit: 'V' },
  current: { value: 'ipmi_current_amperes', state: 'ipmi_current_state', unit: 'A' },
} as const;

export function ipmiSensorsQuery(
  scope: readonly Matcher[],
  types: readonly (keyof typeof IPMI_FAMILIES)[],
): PromQL {
  const names = types.flatMap((t) => [IPMI_FAMILIES[t].value, IPMI_FAMILIES[t].state]);
  return selectorByNames(names, [...scope]);
}

/**
 * The operator's facility expression, summed. The text comes from configuration (PUE_FACILITY_QUERY), which is
 * trusted like the Prometheus URL itself; it never contains user input, so it is not built from parts here.
 */
export function facilityQuery(trustedExpression: string): PromQL {
  return aggregate('sum', [], `(${trustedExpression})` as PromQL);
}
