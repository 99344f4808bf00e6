import {
  aggregate,
  labelReplace,
  type Matcher,
  ne,
  oneOf,
  or,
  type PromQL,
  rangeFn,
  selector,
} from '@kcloud/prometheus';

export const CPU_USAGE = 'container_cpu_usage_seconds_total';
export const WORKING_SET = 'container_memory_working_set_bytes';
/** The label the two halves of the request carry so that their equal label sets survive `or`. */
export const USAGE_METRIC = 'usage';
const PER_CONTAINER = ['namespace', 'pod', 'container'] as const;

/**
 * Both readings per (namespace, pod, container) in one request: the CPU rate `or` the working set, each summed (a
 * container restarted inside the window has two cgroups) and tagged. cAdvisor's pod-cgroup rows (container="") and
 * pause sandboxes (container="POD") are not containers.
 */
export function containerUsageQuery(
  matchers: readonly Matcher[],
  namespaces: readonly string[] | undefined,
  windowSeconds: number,
): PromQL {
  const scope = [
    ...matchers,
    ne('container', ''),
    ne('container', 'POD'),
    ...(namespaces?.length ? [oneOf('namespace', namespaces)] : []),
  ];
  const tag = (expr: PromQL, value: string) => labelReplace(expr, USAGE_METRIC, value, 'namespace', '.*');
  return or(
    tag(aggregate('sum', PER_CONTAINER, rangeFn('rate', selector(CPU_USAGE, scope), windowSeconds)), 'cpu'),
    tag(aggregate('sum', PER_CONTAINER, selector(WORKING_SET, scope)), 'memory'),
  );
}
