import type { PodPowerSeries } from '@kcloud/metrics-source';
import { col, type Column, type Row } from '../table';

/** `power?source=pod`: what Kepler attributes to each pod (CPU + DRAM + GPU), per step. */
export const POD_POWER_COLUMNS: readonly Column[] = [
  col('timestamp', 'timestamp'),
  col('cluster', 'string'),
  col('namespace', 'string'),
  col('pod', 'string'),
  col('node', 'string'),
  col('power_watts', 'float'),
];

/** Pod series → one row per pod and step (pure), ordered by time, cluster, namespace and pod; node empty if unknown. */
export function podPowerRows(series: readonly PodPowerSeries[]): Row[] {
  return series
    .flatMap((s) => s.points.map((p) => ({ at: p.timestampMs, s, watts: p.value })))
    .sort(
      (a, b) =>
        a.at - b.at ||
        a.s.cluster.localeCompare(b.s.cluster) ||
        a.s.namespace.localeCompare(b.s.namespace) ||
        a.s.pod.localeCompare(b.s.pod),
    )
    .map(({ at, s, watts }) => [new Date(at), s.cluster, s.namespace, s.pod, s.node ?? null, watts]);
}
