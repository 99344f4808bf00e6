import { Global, Module } from '@nestjs/common';
import { LeaderLock } from './leader-lock.service';
import { PUB_SUB, PubSubCloser, pubSubProvider } from './pub-sub.provider';
import { realtimeMetricProviders, SubscriptionMetrics } from './realtime.metrics';
import { SharedState } from './shared-state.service';

/** Global: one PubSub, one leader lock, one shared-state store and one set of realtime gauges per process. */
@Global()
@Module({
  providers: [
    pubSubProvider,
    PubSubCloser,
    LeaderLock,
    SharedState,
    SubscriptionMetrics,
    ...realtimeMetricProviders,
  ],
  exports: [PUB_SUB, LeaderLock, SharedState, SubscriptionMetrics],
})
export class RealtimeModule {}
