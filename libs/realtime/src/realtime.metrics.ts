import { Injectable } from '@nestjs/common';
import { InjectMetric, makeCounterProvider, makeGaugeProvider } from '@willsoto/nestjs-prometheus';
import type { Gauge } from 'prom-client';

export const WEBSOCKET_CONNECTIONS = 'websocket_connections';
export const GRAPHQL_SUBSCRIPTIONS_ACTIVE = 'graphql_subscriptions_active';
export const SUBSCRIPTION_EXECUTIONS = 'kcloud_subscription_executions_total';
export const REALTIME_LAST_EVENT = 'kcloud_realtime_last_event_timestamp_seconds';

export const realtimeMetricProviders = [
  makeGaugeProvider({
    name: WEBSOCKET_CONNECTIONS,
    help: 'Open graphql-ws connections (acknowledged)',
  }),
  makeGaugeProvider({
    name: GRAPHQL_SUBSCRIPTIONS_ACTIVE,
    help: 'Running GraphQL subscriptions, by root field',
    labelNames: ['field'],
  }),
  makeCounterProvider({
    name: SUBSCRIPTION_EXECUTIONS,
    help: 'Executions of a subscription selection for an event: one per distinct (document, variables, scope), not per subscriber',
    labelNames: ['field'],
  }),
  makeGaugeProvider({
    name: REALTIME_LAST_EVENT,
    help: 'When the latest event of a topic reached this replica, in seconds since the epoch (only topics with subscribers)',
    labelNames: ['topic'],
  }),
];

/**
 * The two realtime gauges, fed by graphql-ws hooks. Subscriptions are remembered per connection so each is counted
 * down exactly once, whether the client completes it, the server ends it or the socket closes.
 */
@Injectable()
export class SubscriptionMetrics {
  private readonly active = new WeakMap<object, Map<string, string>>();

  constructor(
    @InjectMetric(WEBSOCKET_CONNECTIONS) private readonly connections: Gauge<string>,
    @InjectMetric(GRAPHQL_SUBSCRIPTIONS_ACTIVE) private readonly subscriptions: Gauge<string>,
  ) {}

  connected(): void {
    this.connections.inc();
  }

  disconnected(connection: object): void {
    this.connections.dec();
    for (const id of [...(this.active.get(connection)?.keys() ?? [])]) this.stopped(connection, id);
  }

  started(connection: object, id: string, field: string): void {
    const ids = this.active.get(connection) ?? new Map<string, string>();
    if (ids.has(id)) return;
    ids.set(id, field);
    this.active.set(connection, ids);
    this.subscriptions.inc({ field });
  }

  stopped(connection: object, id: string): void {
    const ids = this.active.get(connection);
    const field = ids?.get(id);
    if (field === undefined) return;
    ids!.delete(id);
    this.subscriptions.dec({ field });
  }
}
