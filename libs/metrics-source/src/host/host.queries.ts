import {
  aggregate,
  binary,
  eq,
  labelReplace,
  type Matcher,
  nre,
  num,
  or,
  type PromQL,
  rangeFn,
  selector,
  selectorByNames,
} from '@kcloud/prometheus';

export const MEMORY_TOTAL = 'node_memory_MemTotal_bytes';
export const MEMORY_AVAILABLE = 'node_memory_MemAvailable_bytes';
export const LOAD1 = 'node_load1';
export const LOAD5 = 'node_load5';
export const LOAD15 = 'node_load15';
export const FS_SIZE = 'node_filesystem_size_bytes';
export const FS_AVAIL = 'node_filesystem_avail_bytes';
/** The label the network rates carry in the rate request, to tell them from the per-core ratios and each other. */
export const NET_DIRECTION = 'direction';
/** Not the host's own traffic: loopback and the container/CNI devices (their traffic also crosses a physical NIC). */
export const VIRTUAL_NET_DEVICES_REGEX =
  'lo|veth.*|cali.*|flannel.*|cni.*|docker.*|virbr.*|vxlan.*|cilium.*|lxc.*|tunl.*|kube-ipvs.*';

/** Both meminfo gauges in one request; each sample keeps its `__name__` (the history reads only these). */
export function hostMemoryQuery(matchers: readonly Matcher[]): PromQL {
  return selectorByNames([MEMORY_TOTAL, MEMORY_AVAILABLE], matchers);
}

/**
 * Every node_exporter gauge the current reading needs, in one request: meminfo and loadavg by name, `or` the root
 * filesystem (mountpoint "/", not tmpfs/overlay). Each sample keeps its `__name__`.
 */
export function hostGaugesQuery(matchers: readonly Matcher[]): PromQL {
  return or(
    selectorByNames([MEMORY_TOTAL, MEMORY_AVAILABLE, LOAD1, LOAD5, LOAD15], matchers),
    selectorByNames(
      [FS_SIZE, FS_AVAIL],
      [...matchers, eq('mountpoint', '/'), nre('fstype', 'tmpfs|overlay')],
    ),
  );
}

/** Bytes/s summed per host over its physical interfaces, tagged `direction="receive"|"transmit"` (rate() drops the name). */
function hostNetworkRate(
  matchers: readonly Matcher[],
  windowSeconds: number,
  direction: 'receive' | 'transmit',
): PromQL {
  const counter = selector(`node_network_${direction}_bytes_total`, [
    ...matchers,
    nre('device', VIRTUAL_NET_DEVICES_REGEX),
  ]);
  return labelReplace(
    aggregate('sum', ['instance'], rangeFn('rate', counter, windowSeconds)),
    NET_DIRECTION,
    direction,
    'instance',
    '.*',
  );
}

/** `1 - rate(node_cpu_seconds_total{mode="idle"}[w])` per (instance, cpu): the busy share of each core. */
export function hostCpuBusyQuery(matchers: readonly Matcher[], windowSeconds: number): PromQL {
  return binary(
    num(1),
    '-',
    rangeFn('rate', selector('node_cpu_seconds_total', [...matchers, eq('mode', 'idle')]), windowSeconds),
  );
}

/**
 * The rates node history reads, in one range request: the cores' busy share averaged per instance (one series per
 * node whatever its core count) `or` the network rates per host (tagged with their direction).
 */
export function hostSeriesRatesQuery(matchers: readonly Matcher[], windowSeconds: number): PromQL {
  return or(
    aggregate('avg', ['instance'], hostCpuBusyQuery(matchers, windowSeconds)),
    or(
      hostNetworkRate(matchers, windowSeconds, 'receive'),
      hostNetworkRate(matchers, windowSeconds, 'transmit'),
    ),
  );
}

/** Every rate the API reads from node_exporter, in one request: per-core busy share `or` the network rates per host. */
export function hostRatesQuery(matchers: readonly Matcher[], windowSeconds: number): PromQL {
  return or(
    hostCpuBusyQuery(matchers, windowSeconds),
    or(
      hostNetworkRate(matchers, windowSeconds, 'receive'),
      hostNetworkRate(matchers, windowSeconds, 'transmit'),
    ),
  );
}
