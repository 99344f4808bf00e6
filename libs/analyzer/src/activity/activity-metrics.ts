import { Injectable } from '@nestjs/common';
import { InjectMetric, makeGaugeProvider } from '@willsoto/nestjs-prometheus';
import type { Gauge } from 'prom-client';
import { ScoreMetricsExporter } from '../export/score-metrics.exporter';
import { activityStateOf } from './activity-view';

export const ACTIVITY_STATE_GAUGE = 'gpu_activity_state';

/**
 * One series per exported GPU row (the score gauges' rows: bounded by the fleet), value 1, the state as a label:
 * `count by (state) (gpu_activity_state)` or `gpu_activity_state{state="IDLE_HELD"}` in Prometheus. Rebuilt on scrape
 * from the score exporter's rows, so it follows them — cleared with them when a replica loses the leader lock.
 */
export const activityMetricProviders = [
  makeGaugeProvider({
    name: ACTIVITY_STATE_GAUGE,
    help: 'Allocation-aware activity state of a GPU or MIG instance (1 for its current state)',
    labelNames: ['gpu_id', 'cluster', 'hostname', 'namespace', 'pod', 'state'],
  }),
];

@Injectable()
export class ActivityMetrics {
  constructor(@InjectMetric(ACTIVITY_STATE_GAUGE) gauge: Gauge<string>, exporter: ScoreMetricsExporter) {
    let built = -1;
    (gauge as unknown as { collect: () => void }).collect = () => {
      const { version, rows } = exporter.exported();
      if (built === version) return;
      gauge.reset();
      for (const r of rows)
        gauge.set(
          {
            gpu_id: r.key,
            cluster: r.cluster,
            hostname: r.node,
            namespace: r.namespace ?? '',
            pod: r.pod ?? '',
            state: activityStateOf(r),
          },
          1,
        );
      built = version;
    };
  }
}
