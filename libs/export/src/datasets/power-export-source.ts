/**
 * What the `power` export reads (`?source=`): GPU board power (DCGM, the default and the export's original
 * behaviour), Kepler's node components, Kepler's pod power, the BMCs' server input (IPMI DCMI), or the unified
 * view (whole-node power by cluster, by resource type, facility power and PUE: the GraphQL `power`/`pue` rules).
 */
export enum PowerExportSourceName {
  GPU = 'gpu',
  NODE = 'node',
  POD = 'pod',
  IPMI = 'ipmi',
  UNIFIED = 'unified',
}
/** The `?source=` values: 'gpu' | 'node' | 'pod' | 'ipmi' | 'unified'. */
export type PowerExportSource = `${PowerExportSourceName}`;
export const POWER_EXPORT_SOURCES = Object.values(PowerExportSourceName) as readonly PowerExportSource[];
export const DEFAULT_POWER_SOURCE: PowerExportSource = 'gpu';

/** Sources whose rows add up whole nodes (every tenant on them): refused to namespace-scoped keys, as IPMI sensors. */
export const NODE_WIDE_POWER_SOURCES: readonly PowerExportSource[] = ['node', 'ipmi', 'unified'];
