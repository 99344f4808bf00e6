import { type NodePowerComponent, type NodePowerSeries, nodePowerSteps } from '@kcloud/metrics-source';

export { nodePowerSteps, type NodePowerStep } from '@kcloud/metrics-source';
import { col, type Column, type Row } from '../table';

/** Components as columns, each with its unit; an empty cell where no exporter reported it at that step. */
const COMPONENT_COLUMNS: readonly (readonly [NodePowerComponent, string])[] = [
  ['serverInputWatts', 'server_input_watts'],
  ['platformWatts', 'platform_watts'],
  ['cpuPackageWatts', 'cpu_package_watts'],
  ['dramWatts', 'dram_watts'],
  ['gpuWatts', 'gpu_watts'],
  ['npuWatts', 'npu_watts'],
  ['otherWatts', 'other_watts'],
];

export const NODE_POWER_COLUMNS: readonly Column[] = [
  col('timestamp', 'timestamp'),
  col('cluster', 'string'),
  col('node', 'string'),
  col('node_power_watts', 'float'),
  col('node_power_source', 'string'),
  ...COMPONENT_COLUMNS.map(([, name]) => col(name, 'float')),
];

/**
 * Node power series → one row per node and step (pure): the node's whole power by the shared rule (BMC server input
 * from IPMI DCMI, else Kepler's platform reading, else its components) with its source, then every component.
 * Rows are ordered by time, cluster and node.
 */
export function nodePowerRows(series: readonly NodePowerSeries[]): Row[] {
  return nodePowerSteps(series)
    .sort((a, b) => a.at - b.at || a.cluster.localeCompare(b.cluster) || a.node.localeCompare(b.node))
    .map(({ at, cluster, node, values, whole }) => [
      new Date(at),
      cluster,
      node,
      whole?.watts ?? null,
      whole?.source ?? null,
      ...COMPONENT_COLUMNS.map(([component]) => values[component] ?? null),
    ]);
}
