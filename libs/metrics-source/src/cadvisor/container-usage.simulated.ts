import type { PartialResult } from '@kcloud/common';
import { type FleetModel, simContainerUsage } from '@kcloud/fleet-model';
import type {
  ContainerUsageFilter,
  ContainerUsageSample,
  ContainerUsageSource,
} from './container-usage.port';

/** The simulated fleet's running containers, as cAdvisor would report them now. */
export class SimulatedContainerUsage implements ContainerUsageSource {
  constructor(private readonly model: FleetModel) {}

  containerUsage(filter: ContainerUsageFilter): Promise<PartialResult<ContainerUsageSample>> {
    const now = Date.now();
    const items = this.model
      .pods()
      .filter(
        (p) =>
          (!filter.clusters || filter.clusters.includes(p.cluster)) &&
          (!filter.namespaces?.length || filter.namespaces.includes(p.namespace)),
      )
      .flatMap((p) =>
        simContainerUsage(p, now).map(
          (c): ContainerUsageSample => ({
            cluster: p.cluster,
            namespace: c.namespace,
            pod: c.pod,
            container: c.container,
            cpuCores: c.cpuCores,
            memoryWorkingSetBytes: c.memoryWorkingSetBytes,
          }),
        ),
      );
    return Promise.resolve({ items, failures: [] });
  }
}
