export * from './realtime.module';
export { PUB_SUB, reviveDates } from './pub-sub.provider';
export { LeaderLock, LEADER_LOCK_KEY } from './leader-lock.service';
export {
  SubscriptionMetrics,
  WEBSOCKET_CONNECTIONS,
  GRAPHQL_SUBSCRIPTIONS_ACTIVE,
  SUBSCRIPTION_EXECUTIONS,
} from './realtime.metrics';
export { EventTopics } from './event-topics';
export { SharedSubscriptions, scopeKeyOf } from './shared-subscriptions.service';
export { sharedSubscribe, executionKey, mapEvents, type SharedExecutionOptions } from './shared-execution';
export { withSubscriptionMetrics, type GraphqlWsHooks } from './graphql-ws-hooks';
export { GracefulShutdown, SHUTDOWN_CLOSE, type ClosableSocket } from './graceful-shutdown.service';
export { flatMapEvents } from './flat-map-events';
export { createRedisClient } from './redis-client';
export { SharedState, STATE_BACKEND, type VersionedDoc, type CasResult } from './shared-state.service';
export { MemoryStateBackend, type StateBackend, StateValue, type StoredDoc } from './state-backends';
export { PolledStreams, assertIntervalSeconds, type ComputeSnapshot } from './polled-streams';
export {
  STREAM_SCHEDULER,
  type StreamScheduler,
  intervalScheduler,
  ManualStreamScheduler,
} from './stream-scheduler';
export { chargedPerSnapshot } from './charged-snapshots';
