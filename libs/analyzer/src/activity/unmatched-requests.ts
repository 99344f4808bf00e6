import type { PodGpuRequest } from '@kcloud/metrics-source';
import type { ScoreRecord } from '../scoring/records';

/** A running pod that asked for more GPUs than the devices naming it (dcgm-exporter's pod labels) account for. */
export interface UnmatchedGpuRequestRecord {
  readonly cluster: string;
  readonly namespace: string;
  readonly pod: string;
  readonly node?: string;
  /** Whole GPUs and MIG slices requested (kube-state-metrics), summed over containers and resources. */
  readonly requestedGpus: number;
  /** Devices whose exporter labels name the pod. */
  readonly attributedGpus: number;
  readonly reason: string;
}

/**
 * Requests joined with the devices' tenants, per pod. Pods of clusters the analyzer has no devices for are left out
 * (a failed or empty cluster says nothing about attribution).
 */
export function unmatchedGpuRequests(
  requests: readonly PodGpuRequest[],
  records: readonly ScoreRecord[],
): UnmatchedGpuRequestRecord[] {
  const key = (cluster: string, namespace: string | undefined, pod: string | undefined) =>
    `${cluster}\u0000${namespace ?? ''}\u0000${pod ?? ''}`;
  const attributed = new Map<string, number>();
  const analysed = new Set<string>();
  const labelled = new Set<string>();
  for (const r of records) {
    analysed.add(r.cluster);
    for (const t of new Set(r.tenants.map((t) => key(r.cluster, t.namespace, t.pod)))) {
      attributed.set(t, (attributed.get(t) ?? 0) + 1);
      labelled.add(r.cluster);
    }
  }
  const pods = new Map<string, { request: PodGpuRequest; requested: number }>();
  for (const q of requests) {
    const k = key(q.cluster, q.namespace, q.pod);
    const p = pods.get(k);
    if (p) p.requested += q.count;
    else pods.set(k, { request: q, requested: q.count });
  }
  const out: UnmatchedGpuRequestRecord[] = [];
  for (const [k, { request: q, requested }] of pods) {
    if (!analysed.has(q.cluster)) continue;
    const got = attributed.get(k) ?? 0;
    if (got >= requested) continue;
    out.push({
      cluster: q.cluster,
      namespace: q.namespace,
      pod: q.pod,
      node: q.node,
      requestedGpus: requested,
      attributedGpus: got,
      reason:
        got > 0
          ? `only ${got} of the ${requested} requested GPUs name this pod`
          : labelled.has(q.cluster)
            ? 'no GPU names this pod'
            : 'no GPU names this pod: no GPU of the cluster carries pod labels (is the exporter given the kubelet pod-resources socket?)',
    });
  }
  return out.sort(
    (a, b) =>
      a.cluster.localeCompare(b.cluster) ||
      a.namespace.localeCompare(b.namespace) ||
      a.pod.localeCompare(b.pod),
  );
}
