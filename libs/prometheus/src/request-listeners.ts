import { Logger } from '@nestjs/common';
import type { PrometheusRequestEvent } from './client/prometheus-client';

export type RequestListener = (event: PrometheusRequestEvent) => void;

/** Who hears of every finished Prometheus request (tests count queries with it), and how many there were. */
export class RequestListeners {
  private readonly logger = new Logger('ClusterRegistry');
  private readonly listeners = new Set<RequestListener>();
  private total = 0;

  /** Returns the unsubscribe function. */
  add(listener: RequestListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  count(): number {
    return this.total;
  }

  notify(event: PrometheusRequestEvent): void {
    this.total++;
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (e) {
        // A listener is instrumentation; it must never turn a good query into a failure.
        this.logger.warn(`request listener failed: ${(e as Error).message}`);
      }
    }
  }
}
