import type { NodePowerStep } from '../datasets/node-power-rows';
import type { ExportSection } from '../table';
import {
  countColumn,
  type DualTable,
  joulesColumn,
  machineSection,
  textColumn,
  wattsColumn,
} from './dual-table';

/** One cluster's whole-node power over the report's range (node-wide: shown to keys not scoped to namespaces). */
export interface ClusterNodePower {
  readonly cluster: string;
  readonly nodes: number;
  readonly averageWatts: number;
  readonly peakWatts: number;
  /** Average of the BMCs' server input (IPMI DCMI) over the nodes reporting it; undefined when none does. */
  readonly averageServerInputWatts?: number;
  /** By the trapezoid rule, as the report's GPU energy: n points every s seconds stand for (n − 1)·s. */
  readonly energyJoules: number;
}

/** Per cluster and step the sum of whole-node power (and of IPMI input where reported), folded over the range (pure). */
export function nodePowerByCluster(steps: readonly NodePowerStep[], stepSeconds: number): ClusterNodePower[] {
  const byCluster = new Map<
    string,
    { nodes: Set<string>; byTime: Map<number, { watts: number; input: number; inputs: number }> }
  >();
  for (const s of steps) {
    if (!s.whole) continue;
    let c = byCluster.get(s.cluster);
    if (!c) byCluster.set(s.cluster, (c = { nodes: new Set(), byTime: new Map() }));
    c.nodes.add(s.node);
    const t = c.byTime.get(s.at) ?? { watts: 0, input: 0, inputs: 0 };
    t.watts += s.whole.watts;
    if (s.values.serverInputWatts !== undefined) {
      t.input += s.values.serverInputWatts;
      t.inputs++;
    }
    c.byTime.set(s.at, t);
  }
  return [...byCluster]
    .map(([cluster, { nodes, byTime }]): ClusterNodePower => {
      const points = [...byTime].sort(([a], [b]) => a - b).map(([, v]) => v);
      const watts = points.map((p) => p.watts);
      const withInput = points.filter((p) => p.inputs > 0);
      let energyJoules = 0;
      for (let i = 1; i < watts.length; i++) energyJoules += ((watts[i - 1]! + watts[i]!) / 2) * stepSeconds;
      return {
        cluster,
        nodes: nodes.size,
        averageWatts: watts.reduce((a, b) => a + b, 0) / watts.length,
        peakWatts: Math.max(...watts),
        ...(withInput.length
          ? { averageServerInputWatts: withInput.reduce((a, p) => a + p.input, 0) / withInput.length }
          : {}),
        energyJoules,
      };
    })
    .sort((a, b) => a.cluster.localeCompare(b.cluster));
}

const NOTE =
  'Whole-node power: the BMC’s server input (IPMI DCMI) where reported, else Kepler’s platform reading, else its ' +
  'components; IPMI input is averaged over the nodes whose BMC reports it (empty: none does).';

/** Machine figures in watts and joules (rounded to mW / mJ), people's in kW and kWh. */
export const NODE_POWER_BY_CLUSTER: DualTable<ClusterNodePower> = {
  name: 'node_power_by_cluster',
  title: 'Node power by cluster',
  columns: [
    textColumn('cluster', 'Cluster', (r) => r.cluster),
    countColumn('nodes', 'Nodes', (r) => r.nodes),
    wattsColumn('average_node_power_watts', 'Average (kW)', (r) => r.averageWatts),
    wattsColumn('peak_node_power_watts', 'Peak (kW)', (r) => r.peakWatts),
    wattsColumn('average_server_input_watts', 'IPMI input (kW)', (r) => r.averageServerInputWatts),
    joulesColumn('node_energy_joules', 'Energy (kWh)', (r) => r.energyJoules),
  ],
  note: NOTE,
};

export const nodePowerSection = (rows: readonly ClusterNodePower[]): ExportSection =>
  machineSection(NODE_POWER_BY_CLUSTER, rows);
