import type { UnifiedClusterStep } from '../datasets/unified-power';
import { countColumn, type DualTable, quantityColumn, textColumn, wattsColumn } from './dual-table';

/** One cluster's PUE over the report's range: per step by the `pue` query's rule, then averaged. */
export interface ClusterPue {
  readonly cluster: string;
  readonly method: string;
  /** Steps with a PUE value. */
  readonly points: number;
  readonly averagePue?: number;
  readonly minimumPue?: number;
  readonly maximumPue?: number;
  readonly averageFacilityPowerWatts?: number;
  readonly averageItPowerWatts?: number;
  /** Why a step had no value (the last such reason), when any had none. */
  readonly reason?: string;
}

const mean = (v: readonly number[]): number | undefined =>
  v.length ? v.reduce((a, b) => a + b, 0) / v.length : undefined;

/** Per cluster, the steps' PUE folded (pure). */
export function pueByCluster(steps: readonly UnifiedClusterStep[]): ClusterPue[] {
  const clusters = [...new Set(steps.map((s) => s.cluster))].sort();
  return clusters.map((cluster) => {
    const mine = steps.filter((s) => s.cluster === cluster);
    const valued = mine.filter((s) => s.pue.value !== null);
    const values = valued.map((s) => s.pue.value!);
    const reason = mine.filter((s) => s.pue.reason !== null).at(-1)?.pue.reason ?? undefined;
    return {
      cluster,
      method: mine.at(-1)?.pue.method ?? 'NONE',
      points: values.length,
      ...(values.length
        ? {
            averagePue: mean(values),
            minimumPue: Math.min(...values),
            maximumPue: Math.max(...values),
            averageFacilityPowerWatts: mean(valued.map((s) => s.pue.facilityPowerWatts ?? 0)),
            averageItPowerWatts: mean(valued.map((s) => s.pue.itPowerWatts ?? 0)),
          }
        : {}),
      ...(reason === undefined ? {} : { reason }),
    };
  });
}

/** PUE is a ratio: the same number for machines and people (two decimals in PDF/xlsx). */
const ratio = (name: string, title: string, pick: (r: ClusterPue) => number | undefined) =>
  quantityColumn<ClusterPue>(name, title, pick, { per: 1, digits: 2 }, 4);

export const PUE_BY_CLUSTER: DualTable<ClusterPue> = {
  name: 'pue_by_cluster',
  title: 'PUE by cluster',
  columns: [
    textColumn('cluster', 'Cluster', (r) => r.cluster),
    textColumn('method', 'Method', (r) => r.method),
    countColumn('points', 'Points', (r) => r.points),
    ratio('average_pue', 'Average PUE', (r) => r.averagePue),
    ratio('minimum_pue', 'Lowest PUE', (r) => r.minimumPue),
    ratio('maximum_pue', 'Highest PUE', (r) => r.maximumPue),
    wattsColumn('average_facility_power_watts', 'Facility (kW)', (r) => r.averageFacilityPowerWatts),
    wattsColumn('average_it_power_watts', 'IT (kW)', (r) => r.averageItPowerWatts),
    { name: 'reason', type: 'string', machine: (r) => r.reason ?? null },
  ],
  note:
    'PUE = facility power / IT power (the servers’ input power: IPMI DCMI, else Kepler platform), per step by the ' +
    'GraphQL pue query’s rule; MEASURED from PUE_FACILITY_QUERY (or the simulated meter), OVERHEAD_FACTOR an estimate.',
};
