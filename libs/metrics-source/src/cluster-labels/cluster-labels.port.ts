/**
 * Which clusters carry which constant labels (PROMETHEUS_CLUSTERS `labels`, e.g. platform, datacenter): a capability
 * of its own — port, DI token, Prometheus (registry) and simulated adapters, a testing fake — so device and
 * infrastructure filters can select clusters by label without reading the registry themselves. No request is sent.
 */
export const CLUSTER_LABELS = Symbol('CLUSTER_LABELS');

export interface LabelMatch {
  readonly name: string;
  readonly value: string;
}

export interface ClusterLabels {
  /** The clusters served now that carry every wanted label with exactly that value (none wanted: every cluster). */
  clustersWith(wanted: readonly LabelMatch[]): readonly string[];
}

/** Whether a cluster's labels hold every wanted label with exactly that value. */
export function carriesLabels(
  labels: Readonly<Record<string, string>> | undefined,
  wanted: readonly LabelMatch[],
): boolean {
  return wanted.every((w) => labels?.[w.name] === w.value);
}

/**
 * The clusters a query may read: the one it names (if any) ∩ the ones its labels select (if any) ∩ the caller's
 * scope. An empty answer means "none" (the read matches nothing), never "no filter": a label no cluster carries
 * must not widen the read to every cluster.
 */
export function selectClusters(
  cluster: string | undefined,
  labelled: readonly string[] | undefined,
  allowed: readonly string[] | undefined,
): readonly string[] | undefined {
  let wanted = cluster === undefined ? undefined : [cluster];
  if (labelled) wanted = wanted ? wanted.filter((c) => labelled.includes(c)) : [...labelled];
  if (allowed?.length && wanted) wanted = wanted.filter((c) => allowed.includes(c));
  return wanted ?? (allowed?.length ? allowed : undefined);
}
