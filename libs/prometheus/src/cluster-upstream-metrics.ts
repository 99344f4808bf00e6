import type { Counter, Gauge, Histogram } from 'prom-client';
import type { CircuitStateName } from './client/cluster-circuit';
import type { PrometheusEndpoint, PrometheusRequestEvent } from './client/prometheus-client';
import { CIRCUIT_STATE_VALUE } from './prometheus.metrics';

const ENDPOINTS: readonly PrometheusEndpoint[] = ['query', 'query_range', 'labels', 'ready'];

/** The registry's per-cluster series in /metrics: request duration and count, circuit state, up. */
export class ClusterUpstreamMetrics {
  constructor(
    private readonly duration: Histogram<string>,
    private readonly requests: Counter<string>,
    private readonly circuitGauge: Gauge<string>,
    private readonly upGauge: Gauge<string>,
  ) {}

  setCircuit(cluster: string, state: CircuitStateName): void {
    this.circuitGauge.set({ cluster }, CIRCUIT_STATE_VALUE[state]);
  }

  setUp(cluster: string, up: 0 | 1): void {
    this.upGauge.set({ cluster }, up);
  }

  observe(event: PrometheusRequestEvent): void {
    const labels = { cluster: event.cluster, endpoint: event.endpoint, outcome: event.outcome };
    this.duration.observe(labels, event.durationSeconds);
    this.requests.inc(labels);
  }

  /** Drops a removed cluster's series so /metrics does not report it forever. */
  forget(cluster: string): void {
    this.circuitGauge.remove({ cluster });
    this.upGauge.remove({ cluster });
    for (const endpoint of ENDPOINTS) {
      for (const outcome of ['ok', 'error']) {
        this.duration.remove({ cluster, endpoint, outcome });
        this.requests.remove({ cluster, endpoint, outcome });
      }
    }
  }
}
