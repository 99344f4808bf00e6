/** One constant label of a cluster, as GraphQL lists it. */
export interface LabelPair {
  readonly name: string;
  readonly value: string;
}

/** PROMETHEUS_CLUSTERS' label object as a list sorted by name (GraphQL has no map type; a stable order diffs well). */
export function labelList(labels: Readonly<Record<string, string>> | undefined): LabelPair[] {
  return Object.entries(labels ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => ({ name, value }));
}

/** Whether a cluster carries every wanted label with exactly that value (no wanted labels: every cluster). */
export function hasLabels(
  labels: Readonly<Record<string, string>> | undefined,
  wanted: readonly LabelPair[] | undefined,
): boolean {
  return (wanted ?? []).every((w) => labels?.[w.name] === w.value);
}
