import { Global, Module } from '@nestjs/common';
import { LeaderLock } from './leader-lock.service';
import { PUB_SUB, PubSubCloser, pubSubProvider } from './pub-sub.provider';
import { realtimeMetricProviders, SubscriptionMetrics } from './realtime.metrics';

/** Global: one PubSub, one leader lock and one set of realtime gauges per process. */
@Global()
@Module({
  providers: [pubSubProvider, PubSubCloser, LeaderLock, SubscriptionMetrics, ...realtimeMetricProviders],
  exports: [PUB_SUB, LeaderLock, SubscriptionMetrics],
})
export class RealtimeModule {}
