import { Inject, Injectable, Optional } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Gauge, Registry } from 'prom-client';
import { UNRESTRICTED } from '@kcloud/common';
import type { ScoreRecord, ScoreRow } from '../scoring/records';
import { computeStats, STATUSES, type ScoreStats, statsRows } from '../scoring/stats';
import { deviceSamples, type Holder, registerReplacing, RowSeriesGauge } from './row-series-gauge';
import { FLEET_GAUGES, PER_GPU_GAUGES, PER_GPU_HELP, type PerGpuGauge } from './score-metrics.providers';

/** Each per-GPU gauge and its value of a result (none: no sample). */
export const PER_GPU_VALUES: readonly (readonly [PerGpuGauge, (r: ScoreRecord) => number | undefined])[] = [
  [PER_GPU_GAUGES.score, (r) => r.score],
  [PER_GPU_GAUGES.core, (r) => r.inputs.utilizationPercent],
  [PER_GPU_GAUGES.memoryUsed, (r) => r.memoryUsedMiB],
  [PER_GPU_GAUGES.power, (r) => r.powerWatts],
  [PER_GPU_GAUGES.memoryCopy, (r) => r.inputs.memoryCopyUtilizationPercent],
  [PER_GPU_GAUGES.smClock, (r) => r.smClockMHz],
];

/** DI token of the prom-client registry the per-GPU series are written to (prom-client's default one if absent). */
export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');

type G = Gauge<string>;
type Fill = (gauge: G, snapshot: Snapshot) => void;

interface Snapshot {
  readonly version: number;
  /** The results exported (their attributed rows are made only where a caller needs them, never kept). */
  readonly records: readonly ScoreRecord[];
  readonly stats: ScoreStats;
}

/**
 * The analyzer's results on `/metrics`. A cycle only hands over its results. The per-GPU series are written from
 * the exported results at each scrape (RowSeriesGauge: no label map holds them between scrapes), so a GPU that
 * disappeared or changed status leaves no series; the fleet gauges rebuild themselves from the same results when
 * scraped (prom-client's `collect` hook), once per new result set.
 */
@Injectable()
export class ScoreMetricsExporter {
  private snapshot: Snapshot = { version: 0, records: [], stats: computeStats([]) };

  constructor(
    @InjectMetric(FLEET_GAUGES.total) total: G,
    @InjectMetric(FLEET_GAUGES.low) low: G,
    @InjectMetric(FLEET_GAUGES.idle) idle: G,
    @InjectMetric(FLEET_GAUGES.average) average: G,
    @InjectMetric(FLEET_GAUGES.byStatus) byStatus: G,
    @InjectMetric(FLEET_GAUGES.namespaceCount) namespaceCount: G,
    @InjectMetric(FLEET_GAUGES.namespaceAverage) namespaceAverage: G,
    @Optional() @Inject(METRICS_REGISTRY) registry?: Registry,
  ) {
    for (const [name, value] of PER_GPU_VALUES)
      registerReplacing(
        new RowSeriesGauge(name, PER_GPU_HELP[name], () =>
          deviceSamples(this.snapshot.records, holderLabels, value),
        ),
        registry,
      );
    this.attach(total, (g, s) => g.set(s.stats.total));
    this.attach(low, (g, s) => g.set(s.stats.byStatus.idle + s.stats.byStatus.low));
    this.attach(idle, (g, s) => g.set(s.stats.byStatus.idle));
    this.attach(average, (g, s) => s.stats.averageScore !== undefined && g.set(s.stats.averageScore));
    this.attach(byStatus, (g, s) =>
      STATUSES.forEach((status) => g.set({ status }, s.stats.byStatus[status])),
    );
    this.attach(namespaceCount, (g, s) =>
      s.stats.byNamespace.forEach((n) => g.set({ namespace: n.namespace }, n.count)),
    );
    this.attach(namespaceAverage, (g, s) =>
      s.stats.byNamespace.forEach(
        (n) => n.averageScore !== undefined && g.set({ namespace: n.namespace }, n.averageScore),
      ),
    );
  }

  update(records: readonly ScoreRecord[]): void {
    this.snapshot = {
      version: this.snapshot.version + 1,
      records,
      stats: computeStats(statsRows(records, UNRESTRICTED)),
    };
  }

  /** The results exported now and their version (other gauges built from the same results follow them). */
  exported(): { readonly version: number; readonly records: readonly ScoreRecord[] } {
    return this.snapshot;
  }

  /** Exports nothing (a replica that lost the leader lock must not keep exporting results it no longer refreshes). */
  clear(): void {
    if (this.snapshot.records.length) this.update([]);
  }

  private attach(gauge: G, fill: Fill): void {
    let built = -1;
    // The hook is (re)bound here, so the gauge always reads the live app's results, even when prom-client's default
    // registry already held the metric from an earlier app in the same process.
    (gauge as unknown as { collect: () => void }).collect = () => {
      const s = this.snapshot;
      if (built === s.version) return;
      gauge.reset();
      fill(gauge, s);
      built = s.version;
    };
  }
}

/** The identity labels of every per-GPU series (also the AI gauges'). */
export function gpuLabels(r: ScoreRow): Record<string, string> {
  return holderLabels(r, r);
}

/** The same labels for a device and one of its holders (`attribute`'s row, without making it). */
export function holderLabels(r: ScoreRecord, holder: Holder): Record<string, string> {
  return {
    gpu_id: r.key,
    cluster: r.cluster,
    hostname: r.node,
    pod: holder.pod ?? '',
    namespace: holder.namespace ?? '',
    status: r.status,
  };
}
