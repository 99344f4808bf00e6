import type { GroupWatts } from './breakdown';

/**
 * Cluster power regrouped by one cluster label (PROMETHEUS_CLUSTERS `labels`, e.g. datacenter): clusters sharing a
 * value add up; clusters without the label fall under the empty key, so the groups still add up to the total.
 */
export function groupByClusterLabel(
  byCluster: readonly GroupWatts[],
  label: string,
  labelsOf: (cluster: string) => Readonly<Record<string, string>>,
): GroupWatts[] {
  const sums = new Map<string, number>();
  for (const g of byCluster) {
    const labels = labelsOf(g.key);
    // Own properties only: a label name such as `constructor` or `__proto__` would read Object.prototype.
    const key = Object.hasOwn(labels, label) ? labels[label]! : '';
    sums.set(key, (sums.get(key) ?? 0) + g.watts);
  }
  return [...sums]
    .map(([key, watts]) => ({ key, watts }))
    .sort((a, b) => b.watts - a.watts || a.key.localeCompare(b.key));
}
