import {
  type ClusterFailure,
  DomainError,
  ErrorCode,
  inScope,
  narrow,
  type TenantScope,
} from '@kcloud/common';
import type { DeviceFilter, SeriesRange } from '@kcloud/metrics-source';
import type { ExportRequest } from '../request/export-request';
import type { Column, Row } from '../table';
import type { DatasetContext, TablePlan } from './dataset';
import { stepTablePlan } from './range-table-plan';

/**
 * The request's cluster/namespace lists intersected with the caller's scope (empty list = nothing may match), plus
 * its node/uuid device filters (per-GPU datasets only; the source applies them).
 */
export function scopedFilter(request: ExportRequest, scope: TenantScope): DeviceFilter {
  const clusters = narrow(request.clusters, scope.clusters);
  const namespaces = narrow(request.namespaces, scope.namespaces);
  return {
    ...(clusters ? { clusters } : {}),
    ...(namespaces ? { namespaces } : {}),
    ...(request.nodes ? { nodes: request.nodes } : {}),
    ...(request.uuids ? { uuids: request.uuids } : {}),
  };
}

/** In-memory form of `scopedFilter` plus the scope itself, for rows that were not filtered at the source. */
export function keepRow(
  filter: DeviceFilter,
  scope: TenantScope,
  cluster: string,
  namespace: string | undefined,
): boolean {
  if (filter.clusters && !filter.clusters.includes(cluster)) return false;
  if (filter.namespaces && (namespace === undefined || !filter.namespaces.includes(namespace))) return false;
  return inScope(scope, cluster, namespace);
}

/**
 * A file has no place for "partial" the way a GraphQL response does, and one missing cluster would make it look
 * whole while it is not. So a cluster failure fails the export (502 before the first byte, an aborted download
 * after it), naming the clusters so the caller can retry or leave them out with `cluster=`.
 */
export function failOnClusterErrors(failures: readonly ClusterFailure[]): void {
  const [first] = failures;
  if (!first) return;
  const names = [...new Set(failures.map((f) => f.cluster))];
  throw new DomainError(
    ErrorCode.CLUSTER_UNAVAILABLE,
    `cluster${names.length > 1 ? 's' : ''} ${names.map((n) => `'${n}'`).join(', ')} unavailable (${first.message}); ` +
      'the export would be incomplete: retry, or select the healthy clusters with cluster=',
    { cluster: names.join(',') },
  );
}

/** Batches of a source series → rows: fails on cluster errors, keeps what filter and scope allow. */
export async function* seriesRows<T extends { readonly cluster: string; readonly namespace?: string }>(
  series: AsyncIterable<{ readonly items: readonly T[]; readonly failures: readonly ClusterFailure[] }>,
  filter: DeviceFilter,
  scope: TenantScope,
  toRow: (item: T) => Row,
): AsyncGenerator<readonly Row[]> {
  for await (const { items, failures } of series) {
    failOnClusterErrors(failures);
    yield items.filter((i) => keepRow(filter, scope, i.cluster, i.namespace)).map(toRow);
  }
}

/** A table of one row per series and step, read chunk by chunk (the GPU series datasets). */
export function seriesTablePlan<T extends { readonly cluster: string; readonly namespace?: string }>(
  context: DatasetContext,
  table: { readonly title: string; readonly columns: readonly Column[]; readonly toRow: (item: T) => Row },
  seriesCount: number,
  filter: DeviceFilter,
  read: (
    range: SeriesRange,
  ) => AsyncIterable<{ readonly items: readonly T[]; readonly failures: readonly ClusterFailure[] }>,
): TablePlan {
  const { scope, limits } = context;
  return stepTablePlan(context, table, seriesCount, (window, signal) =>
    seriesRows(read({ ...window, maxRowsPerBatch: limits.batchRows, signal }), filter, scope, table.toRow),
  );
}
