import type { TenantScope } from '@kcloud/common';
import { inScope } from '@kcloud/common';
import { type IdlePrices, idleCost, JOULES_PER_KWH } from './idle-pricing';
import type { LedgerBucket, LedgerRow } from './idle-ledger';

export type IdleGroupBy = 'NAMESPACE' | 'POD' | 'NODE' | 'CLUSTER' | 'MODEL';

export interface IdleUsageFilter {
  readonly clusters?: readonly string[];
  /** The clusters the filter's `clusterLabels` selected (ClusterLabelResolution); absent: no labels asked for. */
  readonly labelledClusters?: readonly string[];
  readonly namespaces?: readonly string[];
  readonly nodes?: readonly string[];
  readonly models?: readonly string[];
}

export interface IdleUsageRow {
  /** The group: namespace, `namespace/pod`, node (`cluster/node`), cluster or model. */
  readonly key: string;
  readonly allocatedGpuHours: number;
  readonly idleGpuHours: number;
  readonly idleEnergyKWh: number;
  readonly idleCost: number;
  readonly currency: string;
}

export interface IdleUsageResult {
  readonly rows: readonly IdleUsageRow[];
  /** Seconds of the range the ledger accounted (less than the range before the ledger started, or over downtime). */
  readonly accountedSeconds: number;
}

function groupKey(r: LedgerRow, by: IdleGroupBy): string {
  switch (by) {
    case 'NAMESPACE':
      return r.namespace;
    case 'POD':
      return `${r.namespace}/${r.pod}`;
    case 'NODE':
      return `${r.cluster}/${r.node}`;
    case 'CLUSTER':
      return r.cluster;
    case 'MODEL':
      return r.model;
  }
}

function matches(r: LedgerRow, filter: IdleUsageFilter, scope: TenantScope): boolean {
  return (
    inScope(scope, r.cluster, r.namespace) &&
    (!filter.clusters || filter.clusters.includes(r.cluster)) &&
    (!filter.labelledClusters || filter.labelledClusters.includes(r.cluster)) &&
    (!filter.namespaces || filter.namespaces.includes(r.namespace)) &&
    (!filter.nodes || filter.nodes.includes(r.node)) &&
    (!filter.models || filter.models.includes(r.model))
  );
}

/**
 * Idle usage over [fromMs, toMs] from the ledger's buckets: a bucket the range covers partly counts pro rata over
 * the time it accounted (exact for a device whose state held over the bucket). Sorted by idle cost, then idle
 * GPU-hours, descending. Costs are priced per row (the model's price), then summed per group.
 */
export function idleUsage(
  buckets: readonly LedgerBucket[],
  fromMs: number,
  toMs: number,
  by: IdleGroupBy,
  filter: IdleUsageFilter,
  scope: TenantScope,
  prices: IdlePrices,
): IdleUsageResult {
  const groups = new Map<string, { allocated: number; idle: number; joules: number; cost: number }>();
  let accountedMs = 0;
  for (const b of buckets) {
    const span = b.untilMs - b.fromMs;
    const overlap = Math.min(toMs, b.untilMs) - Math.max(fromMs, b.fromMs);
    if (span <= 0 || overlap <= 0) continue;
    accountedMs += overlap;
    const f = overlap / span;
    for (const r of b.rows) {
      if (!matches(r, filter, scope)) continue;
      const key = groupKey(r, by);
      const g = groups.get(key) ?? { allocated: 0, idle: 0, joules: 0, cost: 0 };
      const idleHours = (r.idleGpuSeconds * f) / 3600;
      const kWh = (r.idleEnergyJoules * f) / JOULES_PER_KWH;
      g.allocated += (r.allocatedGpuSeconds * f) / 3600;
      g.idle += idleHours;
      g.joules += r.idleEnergyJoules * f;
      g.cost += idleCost(prices, r.model, idleHours, kWh);
      groups.set(key, g);
    }
  }
  const rows = [...groups].map(
    ([key, g]): IdleUsageRow => ({
      key,
      allocatedGpuHours: g.allocated,
      idleGpuHours: g.idle,
      idleEnergyKWh: g.joules / JOULES_PER_KWH,
      idleCost: g.cost,
      currency: prices.currency,
    }),
  );
  rows.sort(
    (a, b) => b.idleCost - a.idleCost || b.idleGpuHours - a.idleGpuHours || a.key.localeCompare(b.key),
  );
  return { rows, accountedSeconds: accountedMs / 1000 };
}
