import { Global, Module } from '@nestjs/common';
import { EventTopics } from './event-topics';
import { GracefulShutdown } from './graceful-shutdown.service';
import { LeaderLock } from './leader-lock.service';
import { PUB_SUB, PubSubCloser, pubSubProvider } from './pub-sub.provider';
import { realtimeMetricProviders, SubscriptionMetrics } from './realtime.metrics';
import { SharedState } from './shared-state.service';
import { SharedSubscriptions } from './shared-subscriptions.service';

/** The services this module provides and exports alike (one list, so the two cannot drift apart). */
const SHARED = [
  LeaderLock,
  SharedState,
  SubscriptionMetrics,
  GracefulShutdown,
  EventTopics,
  SharedSubscriptions,
];

/** Global: one PubSub (one listener per topic through EventTopics), shared subscription execution, one leader lock, one shared-state store, one set of realtime gauges and one drain per process. */
@Global()
@Module({
  providers: [pubSubProvider, PubSubCloser, ...SHARED, ...realtimeMetricProviders],
  exports: [PUB_SUB, ...SHARED],
})
export class RealtimeModule {}
