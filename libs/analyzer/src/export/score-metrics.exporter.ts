import { Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Gauge } from 'prom-client';
import { UNRESTRICTED } from '@kcloud/common';
import { rowsInScope, type ScoreRecord, type ScoreRow } from '../scoring/records';
import { computeStats, STATUSES, type ScoreStats } from '../scoring/stats';
import { FLEET_GAUGES, PER_GPU_GAUGES } from './score-metrics.providers';

type G = Gauge<string>;
type Fill = (gauge: G, snapshot: Snapshot) => void;

interface Snapshot {
  readonly version: number;
  readonly rows: readonly ScoreRow[];
  readonly stats: ScoreStats;
}

/**
 * The analyzer's results on `/metrics`. A cycle only hands over its results; each gauge rebuilds itself from them
 * when scraped (prom-client's `collect` hook), once per new result set: 60,000 labelled series cost the scrape, not
 * the cycle. A rebuild resets the gauge first, so a GPU that disappeared or changed status leaves no series.
 */
@Injectable()
export class ScoreMetricsExporter {
  private snapshot: Snapshot = { version: 0, rows: [], stats: computeStats([]) };

  constructor(
    @InjectMetric(PER_GPU_GAUGES.score) score: G,
    @InjectMetric(PER_GPU_GAUGES.core) core: G,
    @InjectMetric(PER_GPU_GAUGES.memoryUsed) memoryUsed: G,
    @InjectMetric(PER_GPU_GAUGES.power) power: G,
    @InjectMetric(PER_GPU_GAUGES.memoryCopy) memoryCopy: G,
    @InjectMetric(PER_GPU_GAUGES.smClock) smClock: G,
    @InjectMetric(FLEET_GAUGES.total) total: G,
    @InjectMetric(FLEET_GAUGES.low) low: G,
    @InjectMetric(FLEET_GAUGES.idle) idle: G,
    @InjectMetric(FLEET_GAUGES.average) average: G,
    @InjectMetric(FLEET_GAUGES.byStatus) byStatus: G,
    @InjectMetric(FLEET_GAUGES.namespaceCount) namespaceCount: G,
    @InjectMetric(FLEET_GAUGES.namespaceAverage) namespaceAverage: G,
  ) {
    const perGpu =
      (value: (r: ScoreRow) => number | undefined): Fill =>
      (gauge, s) => {
        for (const r of s.rows) {
          const v = value(r);
          if (v !== undefined) gauge.set(gpuLabels(r), v);
        }
      };
    const perGpuValues: [G, (r: ScoreRow) => number | undefined][] = [
      [score, (r) => r.score],
      [core, (r) => r.inputs.utilizationPercent],
      [memoryUsed, (r) => r.memoryUsedMiB],
      [power, (r) => r.powerWatts],
      [memoryCopy, (r) => r.inputs.memoryCopyUtilizationPercent],
      [smClock, (r) => r.smClockMHz],
    ];
    for (const [gauge, value] of perGpuValues) this.attach(gauge, perGpu(value));
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
    const rows = rowsInScope(records, UNRESTRICTED);
    this.snapshot = { version: this.snapshot.version + 1, rows, stats: computeStats(rows) };
  }

  /** The rows exported now and their version (other gauges built from the same results follow it). */
  exported(): { readonly version: number; readonly rows: readonly ScoreRow[] } {
    return this.snapshot;
  }

  /** Exports nothing (a replica that lost the leader lock must not keep exporting results it no longer refreshes). */
  clear(): void {
    if (this.snapshot.rows.length) this.update([]);
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
  return {
    gpu_id: r.key,
    cluster: r.cluster,
    hostname: r.node,
    pod: r.pod ?? '',
    namespace: r.namespace ?? '',
    status: r.status,
  };
}
