import type { ClusterConfig, PartialResult } from '@kcloud/common';
import type { ClusterRegistry, PrometheusClient } from '@kcloud/prometheus';
import { matchesNothing } from './device-filter';
import { type InfraFilter, matchesInfra } from './infra-filter';

/**
 * Reads every selected cluster in parallel and applies the InfraFilter to the joined items in memory (node labels
 * differ per exporter, so nodes are matched here). A failed cluster is a failure, never an empty answer.
 */
export async function fanOutInfra<
  T extends {
    readonly cluster: string;
    readonly node?: string;
    readonly namespace?: string;
    readonly pod?: string;
  },
>(
  registry: ClusterRegistry,
  filter: InfraFilter,
  read: (client: PrometheusClient, cluster: ClusterConfig) => Promise<T[]>,
): Promise<PartialResult<T>> {
  if (matchesNothing(filter)) return { items: [], failures: [] };
  const { results, failures } = await registry.fanOut(filter.clusters, read);
  return { items: results.flatMap((r) => r.value).filter((item) => matchesInfra(filter, item)), failures };
}
