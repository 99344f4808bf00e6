import { Injectable } from '@nestjs/common';
import { AcceleratorsService } from '@kcloud/accelerators';
import type { TenantScope } from '@kcloud/common';
import { type DeviceFilter, type GpuSample, matchesDevice } from '@kcloud/metrics-source';
import { failOnClusterErrors, keepRow } from './dataset-support';

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
}
