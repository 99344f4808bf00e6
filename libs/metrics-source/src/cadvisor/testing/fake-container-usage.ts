import type { PartialResult } from '@kcloud/common';
import type {
  ContainerUsageFilter,
  ContainerUsageSample,
  ContainerUsageSource,
} from '../container-usage.port';

/** A ContainerUsageSource over fixed samples that records every filter it was asked (service specs). */
export class FakeContainerUsage implements ContainerUsageSource {
  readonly calls: ContainerUsageFilter[] = [];

  constructor(private readonly result: PartialResult<ContainerUsageSample>) {}

  containerUsage(filter: ContainerUsageFilter): Promise<PartialResult<ContainerUsageSample>> {
    this.calls.push(filter);
    const keep = (c: ContainerUsageSample) =>
      (!filter.clusters || filter.clusters.includes(c.cluster)) &&
      (!filter.namespaces?.length || filter.namespaces.includes(c.namespace));
    return Promise.resolve({ items: this.result.items.filter(keep), failures: this.result.failures });
  }
}
