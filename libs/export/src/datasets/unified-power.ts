import type { FacilityPowerSeries, NodePowerSeries } from '@kcloud/metrics-source';
import { computePue, groupNodeSeries, PowerGroupBy, type PueResult } from '@kcloud/monitoring';
import { col, type Column, type Row } from '../table';
import { nodePowerSteps } from './node-power-rows';

/** The resource types of the unified breakdown (GraphQL `PowerGroupBy.RESOURCE_TYPE` keys). */
export const UNIFIED_TYPES = ['CPU', 'DRAM', 'GPU', 'NPU', 'OTHER'] as const;
export type UnifiedType = (typeof UNIFIED_TYPES)[number];

/** How PUE's numerator is known: a configured facility source (its description), or a configured overhead factor. */
export interface FacilitySetting {
  readonly description?: string;
  readonly overheadFactor?: number;
}

/** One cluster at one step of the unified view. */
export interface UnifiedClusterStep {
  readonly at: number;
  readonly cluster: string;
  /** Whole-node power summed over the cluster's nodes (as `powerTimeseries(groupBy: CLUSTER)`). */
  readonly powerWatts: number;
  /** The same power split by resource type (as `powerTimeseries(groupBy: RESOURCE_TYPE)` for this cluster). */
  readonly byType: Readonly<Partial<Record<UnifiedType, number>>>;
  /** PUE at this step by the `pue` query's rule (IT power = servers' input power; null values with a reason). */
  readonly pue: PueResult;
}

/**
 * The unified power view over a range (pure): per cluster and step the monitoring library's own rules — the power
 * timeseries grouping for the cluster total and resource types, `computePue` on the nodes of that step and the
 * facility reading at that step. Nothing is joined here that monitoring does not join for GraphQL.
 */
export function unifiedClusterSteps(
  nodes: readonly NodePowerSeries[],
  facility: readonly FacilityPowerSeries[],
  setting: FacilitySetting,
): UnifiedClusterStep[] {
  const out: UnifiedClusterStep[] = [];
  for (const cluster of [...new Set(nodes.map((n) => n.cluster))].sort()) {
    const series = nodes.filter((n) => n.cluster === cluster);
    const total = groupNodeSeries(series, PowerGroupBy.CLUSTER)[0]?.points ?? [];
    const types = groupNodeSeries(series, PowerGroupBy.RESOURCE_TYPE);
    const meter = new Map(
      facility
        .filter((f) => f.cluster === cluster)
        .flatMap((f) => f.points.map((p) => [p.timestampMs, p.value])),
    );
    const samples = new Map<number, ReturnType<typeof sampleOf>[]>();
    for (const step of nodePowerSteps(series)) {
      const list = samples.get(step.at) ?? [];
      list.push(sampleOf(step));
      samples.set(step.at, list);
    }
    const typeAt = types.map((t) => ({
      key: t.key,
      at: new Map(t.points.map((p) => [p.timestampMs, p.watts])),
    }));
    for (const { timestampMs: at, watts } of total) {
      const byType: Partial<Record<UnifiedType, number>> = {};
      for (const t of typeAt) {
        const w = t.at.get(at);
        if (w !== undefined) byType[t.key as UnifiedType] = w;
      }
      const pue = computePue({
        cluster,
        nodes: samples.get(at) ?? [],
        facility:
          setting.description === undefined
            ? undefined
            : { configured: true, description: setting.description, watts: meter.get(at) },
        overheadFactor: setting.overheadFactor,
      });
      out.push({ at, cluster, powerWatts: watts, byType, pue });
    }
  }
  return out.sort((a, b) => a.at - b.at || a.cluster.localeCompare(b.cluster));
}

const sampleOf = (s: ReturnType<typeof nodePowerSteps>[number]) => ({
  cluster: s.cluster,
  node: s.node,
  observedAt: new Date(s.at),
  ...s.values,
});

/** `power?source=unified`: per cluster and step, watts by the unified rules, facility power and PUE. */
export const UNIFIED_COLUMNS: readonly Column[] = [
  col('timestamp', 'timestamp'),
  col('cluster', 'string'),
  col('power_watts', 'float'),
  ...UNIFIED_TYPES.map((t) => col(`${t.toLowerCase()}_watts`, 'float')),
  col('it_power_watts', 'float'),
  col('facility_power_watts', 'float'),
  col('pue', 'float'),
];

export function unifiedRows(steps: readonly UnifiedClusterStep[]): Row[] {
  return steps.map((s) => [
    new Date(s.at),
    s.cluster,
    s.powerWatts,
    ...UNIFIED_TYPES.map((t) => s.byType[t] ?? null),
    s.pue.itPowerWatts,
    s.pue.facilityPowerWatts,
    s.pue.value,
  ]);
}
