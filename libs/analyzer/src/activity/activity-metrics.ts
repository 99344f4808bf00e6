import { Inject, Injectable, Optional } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { METRICS_REGISTRY, ScoreMetricsExporter } from '../export/score-metrics.exporter';
import { deviceSamples, type Holder, registerReplacing, RowSeriesGauge } from '../export/row-series-gauge';
import type { ScoreRecord } from '../scoring/records';
import { activityStateOf } from './activity-view';

export const ACTIVITY_STATE_GAUGE = 'gpu_activity_state';
export const ACTIVITY_STATE_HELP =
  'Allocation-aware activity state of a GPU or MIG instance (1 for its current state)';

/** The activity gauge's labels of a device and one of its holders. */
export const activityLabels = (r: ScoreRecord, holder: Holder): Record<string, string> => ({
  gpu_id: r.key,
  cluster: r.cluster,
  hostname: r.node,
  namespace: holder.namespace ?? '',
  pod: holder.pod ?? '',
  state: activityStateOf(r),
});

/**
 * One series per exported GPU and pod holding it (the score gauges' rows: bounded by the fleet), value 1, the state as a label:
 * `count by (state) (gpu_activity_state)` or `gpu_activity_state{state="IDLE_HELD"}` in Prometheus. Written from the
 * score exporter's results at each scrape (see RowSeriesGauge), so it follows them — cleared with them when a replica
 * loses the leader lock.
 */
@Injectable()
export class ActivityMetrics {
  constructor(exporter: ScoreMetricsExporter, @Optional() @Inject(METRICS_REGISTRY) registry?: Registry) {
    registerReplacing(
      new RowSeriesGauge(ACTIVITY_STATE_GAUGE, ACTIVITY_STATE_HELP, () =>
        deviceSamples(exporter.exported().records, activityLabels, () => 1),
      ),
      registry,
    );
  }
}
