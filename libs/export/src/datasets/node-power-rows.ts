import {
  type NodePowerComponent,
  type NodePowerSeries,
  type NodePowerStep,
  nodePowerSteps,
} from '@kcloud/metrics-source';

export { nodePowerSteps, type NodePowerStep } from '@kcloud/metrics-source';
import { col, type Column, type Row } from '../table';

/** A node power component as a column, with its unit. */
type ComponentColumn = readonly [NodePowerComponent, string];

/** Components as columns, each with its unit; an empty cell where no exporter reported it at that step. */
const COMPONENT_COLUMNS: readonly ComponentColumn[] = [
  ['serverInputWatts', 'server_input_watts'],
  ['platformWatts', 'platform_watts'],
  ['cpuPackageWatts', 'cpu_package_watts'],
  ['dramWatts', 'dram_watts'],
  ['gpuWatts', 'gpu_watts'],
  ['npuWatts', 'npu_watts'],
  ['otherWatts', 'other_watts'],
];

/** What Kepler measures on a node (`power?source=node`): RAPL package and DRAM, platform, other, GPU. */
const KEPLER_COLUMNS: readonly ComponentColumn[] = [
  ['cpuPackageWatts', 'cpu_package_watts'],
  ['dramWatts', 'dram_watts'],
  ['platformWatts', 'platform_watts'],
  ['otherWatts', 'other_watts'],
  ['gpuWatts', 'gpu_watts'],
];

/** The BMC's server input (`power?source=ipmi`). */
const IPMI_COLUMNS: readonly ComponentColumn[] = [['serverInputWatts', 'server_input_watts']];

const NODE_KEY_COLUMNS: readonly Column[] = [
  col('timestamp', 'timestamp'),
  col('cluster', 'string'),
  col('node', 'string'),
];
const floats = (components: readonly ComponentColumn[]): Column[] =>
  components.map(([, name]) => col(name, 'float'));

export const NODE_POWER_COLUMNS: readonly Column[] = [
  ...NODE_KEY_COLUMNS,
  col('node_power_watts', 'float'),
  col('node_power_source', 'string'),
  ...floats(COMPONENT_COLUMNS),
];
export const KEPLER_NODE_COLUMNS: readonly Column[] = [...NODE_KEY_COLUMNS, ...floats(KEPLER_COLUMNS)];
export const IPMI_INPUT_COLUMNS: readonly Column[] = [...NODE_KEY_COLUMNS, ...floats(IPMI_COLUMNS)];

/** One entry per node and step, ordered by time, cluster and node. */
function orderedSteps(series: readonly NodePowerSeries[]): NodePowerStep[] {
  return nodePowerSteps(series).sort(
    (a, b) => a.at - b.at || a.cluster.localeCompare(b.cluster) || a.node.localeCompare(b.node),
  );
}

const stepKey = (s: NodePowerStep): Row => [new Date(s.at), s.cluster, s.node];
const cells = (s: NodePowerStep, components: readonly ComponentColumn[]): Row =>
  components.map(([component]) => s.values[component] ?? null);

/**
 * Node power series → one row per node and step (pure): the node's whole power by the shared rule (BMC server input
 * from IPMI DCMI, else Kepler's platform reading, else its components) with its source, then every component.
 */
export function nodePowerRows(series: readonly NodePowerSeries[]): Row[] {
  return orderedSteps(series).map((s) => [
    ...stepKey(s),
    s.whole?.watts ?? null,
    s.whole?.source ?? null,
    ...cells(s, COMPONENT_COLUMNS),
  ]);
}

/**
 * Kepler's node components per node and step (pure); steps where Kepler reported none of them (a node only its BMC
 * reports) are left out. `gpu_watts` is the node's GPU component: Kepler's, else the boards' DCGM power.
 */
export function keplerNodeRows(series: readonly NodePowerSeries[]): Row[] {
  return orderedSteps(series)
    .filter((s) => KEPLER_COLUMNS.some(([c]) => s.values[c] !== undefined))
    .map((s) => [...stepKey(s), ...cells(s, KEPLER_COLUMNS)]);
}

/**
 * Server input power per node and step (pure): every node the node-power read knows, with an empty cell where its
 * BMC reported nothing (no ipmi_exporter, or a refused reading), so a gap shows as a gap.
 */
export function ipmiInputRows(series: readonly NodePowerSeries[]): Row[] {
  return orderedSteps(series).map((s) => [...stepKey(s), ...cells(s, IPMI_COLUMNS)]);
}
