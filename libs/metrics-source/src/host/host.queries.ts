import { binary, eq, type Matcher, num, type PromQL, rangeFn, selectorByNames, selector } from '@kcloud/prometheus';

export const MEMORY_TOTAL = 'node_memory_MemTotal_bytes';
export const MEMORY_AVAILABLE = 'node_memory_MemAvailable_bytes';

/** Both meminfo gauges in one request; each sample keeps its `__name__`. */
export function hostMemoryQuery(matchers: readonly Matcher[]): PromQL {
  return selectorByNames([MEMORY_TOTAL, MEMORY_AVAILABLE], matchers);
}

/** `1 - rate(node_cpu_seconds_total{mode="idle"}[w])` per (instance, cpu): the busy share of each core. */
export function hostCpuBusyQuery(matchers: readonly Matcher[], windowSeconds: number): PromQL {
  return binary(
    num(1),
    '-',
    rangeFn('rate', selector('node_cpu_seconds_total', [...matchers, eq('mode', 'idle')]), windowSeconds),
  );
}
