import { Injectable } from '@nestjs/common';
import { AcceleratorsService } from '@kcloud/accelerators';
import type { ClusterFailure, TenantScope } from '@kcloud/common';
import { type DeviceFilter, type GpuSample, matchesDevice, type SeriesRange } from '@kcloud/metrics-source';
import type { Column, Row } from '../table';
import type { DatasetContext, TablePlan } from './dataset';
import { failOnClusterErrors, keepRow, scopedFilter, seriesTablePlan } from './dataset-support';

/**
 * The GPUs in filter and scope right now, through AcceleratorsService (cached, scope-enforced): the `gpus` dataset
 * itself, and the series count behind the row estimates of the time-series datasets.
 */
@Injectable()
export class CurrentGpus {
  constructor(private readonly accelerators: AcceleratorsService) {}

  async list(filter: DeviceFilter, scope: TenantScope): Promise<readonly GpuSample[]> {
    // Per selected cluster, so a failed cluster the caller left out cannot fail the export; namespaces are applied
    // here, so the reads share the cache entries of plain `gpus` queries.
    const reads = await Promise.all(
      (filter.clusters ?? [undefined]).map((cluster) => this.accelerators.gpus({ cluster }, scope)),
    );
    failOnClusterErrors(reads.flatMap((r) => r.failures));
    return reads
      .flatMap((r) => r.items)
      .filter((g) => keepRow(filter, scope, g.cluster, g.namespace) && matchesDevice(filter, g));
  }

  /**
   * A per-GPU series table (`metrics`, `power?source=gpu`): the request's filter in scope, today's GPUs counted into
   * series by `seriesOf` for the row estimate, then `read` chunk by chunk.
   */
  async seriesPlan<T extends { readonly cluster: string; readonly namespace?: string }>(
    context: DatasetContext,
    table: { readonly title: string; readonly columns: readonly Column[]; readonly toRow: (item: T) => Row },
    seriesOf: (gpus: readonly GpuSample[]) => number,
    read: (
      filter: DeviceFilter,
      range: SeriesRange,
    ) => AsyncIterable<{ readonly items: readonly T[]; readonly failures: readonly ClusterFailure[] }>,
  ): Promise<TablePlan> {
    const filter = scopedFilter(context.request, context.scope);
    const series = seriesOf(await this.list(filter, context.scope));
    return seriesTablePlan(context, table, series, filter, (range) => read(filter, range));
  }
}
