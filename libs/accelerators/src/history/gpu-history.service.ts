import { Inject, Injectable } from '@nestjs/common';
import { type ClusterFailure, narrow, type TenantScope } from '@kcloud/common';
import {
  type DeviceFilter,
  GPU_SERIES_SOURCE,
  gpuKey,
  type GpuSeriesPoint,
  type GpuSeriesSource,
  matchesNothing,
  SCORE_HISTORY_SOURCE,
  type ScoreHistorySource,
} from '@kcloud/metrics-source';
import { SCORE_FIELDS, type ScoreField } from './gpu-score-history';
import {
  HISTORY_FIELDS,
  type HistoryField,
  type HistoryRange,
  type HistoryReadings,
  MAX_POINTS_PER_REQUEST,
} from './history-range';

export type GpuHistoryField = HistoryField | ScoreField;
export type GpuReadings = HistoryReadings<GpuHistoryField, number | string>;
/** Every field a GPU history point can carry: the DCGM readings, then the analyzer's score and status. */
export const GPU_HISTORY_FIELDS: readonly GpuHistoryField[] = [...HISTORY_FIELDS, ...SCORE_FIELDS];

export interface HistoryDevice {
  readonly cluster: string;
  readonly uuid: string;
  /** gpuKey (UUID, or UUID/migInstanceId): the analyzer's gpu_id; the UUID when absent. */
  readonly id?: string;
}

export interface HistorySeries {
  /** gpuKey → step timestamp (ms) → the device's values at that step. */
  readonly byKey: ReadonlyMap<string, ReadonlyMap<number, GpuReadings>>;
  readonly failures: readonly ClusterFailure[];
}

/**
 * Range reads for `Gpu.history`: every device asked for in one call becomes one series read of the source (per
 * cluster: the identity and all value families in one range query each, whatever the device count), narrowed to the
 * caller's scope — a namespace-scoped key never gets points from the times a GPU belonged to another tenant.
 */
@Injectable()
export class GpuHistoryService {
  constructor(
    @Inject(GPU_SERIES_SOURCE) private readonly source: GpuSeriesSource,
    @Inject(SCORE_HISTORY_SOURCE) private readonly scores: ScoreHistorySource,
  ) {}

  /** `withScores`: also read the analyzer's exported score and status (one more range query per Prometheus). */
  async series(
    devices: readonly HistoryDevice[],
    range: HistoryRange,
    scope: TenantScope,
    withScores = false,
  ): Promise<HistorySeries> {
    const filter: DeviceFilter = {
      clusters: narrow([...new Set(devices.map((d) => d.cluster))], scope.clusters),
      uuids: [...new Set(devices.map((d) => d.uuid))],
      ...(scope.namespaces?.length ? { namespaces: scope.namespaces } : {}),
    };
    const byKey = new Map<string, Map<number, GpuReadings>>();
    const failures: ClusterFailure[] = [];
    if (matchesNothing(filter)) return { byKey, failures };
    const scoreRead = withScores
      ? this.scores.scoreHistory(
          {
            clusters: filter.clusters ?? [],
            gpuIds: devices.map((d) => d.id ?? d.uuid),
            ...(filter.namespaces ? { namespaces: filter.namespaces } : {}),
          },
          range,
        )
      : undefined;
    // One batch may hold the whole request: the source then reads a one-point probe chunk and the rest in one go.
    const series = this.source.gpuMetricSeries(filter, { ...range, maxRowsPerBatch: MAX_POINTS_PER_REQUEST });
    for await (const batch of series) {
      failures.push(...batch.failures);
      for (const p of batch.items) {
        const key = gpuKey(p);
        let points = byKey.get(key);
        if (!points) byKey.set(key, (points = new Map()));
        // Time-sliced GPUs repeat per sharing pod: one reading per device and step is enough.
        if (!points.has(p.timestamp.getTime()))
          points.set(p.timestamp.getTime(), p as GpuSeriesPoint & GpuReadings);
      }
    }
    const scored = await scoreRead;
    if (scored) {
      failures.push(...scored.failures);
      for (const [key, steps] of scored.byKey) {
        let points = byKey.get(key);
        if (!points) byKey.set(key, (points = new Map()));
        for (const [ms, s] of steps) points.set(ms, { ...points.get(ms), score: s.score, status: s.status });
      }
    }
    return { byKey, failures };
  }
}
