import { Inject, Injectable, Logger, type OnModuleDestroy, Optional } from '@nestjs/common';
import { type DomainError, KeyQuota, type Principal, type TenantScope } from '@kcloud/common';
import { assertIntervalSeconds, chargedPerSnapshot, PolledStreams } from '@kcloud/realtime';
import type { Observable } from 'rxjs';
import { groupsOf } from '../breakdown';
import { PowerGroupBy } from '../models/power-group-by.enum';
import type { PowerSnapshot } from '../models/power-snapshot.model';
import { PowerService } from '../power.service';
import { POWER_STREAM_SCHEDULER, type StreamScheduler } from './stream-scheduler';

export const MIN_INTERVAL_SECONDS = 1;
export const MAX_INTERVAL_SECONDS = 300;
export const DEFAULT_INTERVAL_SECONDS = 5;
/** A tick is one fresh power read: charged as the `power` query it replaces (one upstream unit). */
export const UNITS_PER_TICK = 1;

export interface PowerStreamArgs {
  readonly cluster?: string;
  /** The clusters the subscription's clusterLabels selected (ClusterLabelResolution); absent: no labels asked. */
  readonly labelledClusters?: readonly string[];
  readonly groupBy: PowerGroupBy;
  readonly intervalSeconds: number;
}

/**
 * Live power: one timer per distinct (cluster, groupBy, interval, caller scope), shared by every subscriber of that
 * stream and stopped when the last one leaves (PolledStreams: a tick still computing skips the next, a late joiner
 * gets the latest snapshot). Backs both the GraphQL subscription and the SSE and WebSocket routes.
 */
@Injectable()
export class PowerStreamHub implements OnModuleDestroy {
  private readonly streams: PolledStreams<PowerSnapshot>;

  constructor(
    private readonly power: PowerService,
    @Inject(POWER_STREAM_SCHEDULER) scheduler: StreamScheduler,
    @Optional() private readonly quota?: KeyQuota,
  ) {
    this.streams = new PolledStreams(scheduler, new Logger(PowerStreamHub.name));
  }

  /** Snapshot computations since start (all streams): what tests and metrics count. */
  get computations(): number {
    return this.streams.computations;
  }

  /** Streams with a running timer. */
  get activeStreams(): number {
    return this.streams.activeStreams;
  }

  /** Subscribes `listener`; returns the unsubscribe function. Arguments are validated first (BAD_USER_INPUT). */
  subscribe(args: PowerStreamArgs, scope: TenantScope, listener: (s: PowerSnapshot) => void): () => void {
    const { key, intervalMs, compute } = this.stream(args, scope);
    return this.streams.subscribe(key, intervalMs, compute, listener);
  }

  /**
   * The stream as an async iterator (GraphQL subscriptions); `return()` unsubscribes. Each snapshot is charged to the
   * subscriber's key (UNITS_PER_TICK); over budget the subscription ends with RATE_LIMITED.
   */
  iterate(
    args: PowerStreamArgs,
    scope: TenantScope,
    principal?: Principal,
  ): AsyncIterableIterator<PowerSnapshot | DomainError> {
    const { key, intervalMs, compute } = this.stream(args, scope);
    return chargedPerSnapshot(this.streams.iterate(key, intervalMs, compute), () =>
      this.quota ? this.quota.chargeUpstream(principal, UNITS_PER_TICK) : Promise.resolve(true),
    );
  }

  /** The stream as an Observable (SSE); unsubscribing tears the subscription down. */
  observe(args: PowerStreamArgs, scope: TenantScope): Observable<PowerSnapshot> {
    const { key, intervalMs, compute } = this.stream(args, scope);
    return this.streams.observe(key, intervalMs, compute);
  }

  onModuleDestroy(): void {
    this.streams.stopAll();
  }

  private stream(args: PowerStreamArgs, scope: TenantScope) {
    validateInterval(args.intervalSeconds);
    this.power.assertKnownCluster(args.cluster, scope);
    const key = JSON.stringify([
      args.cluster ?? null,
      args.labelledClusters ?? null,
      args.groupBy,
      args.intervalSeconds,
      scope.clusters ?? null,
      scope.namespaces ?? null,
    ]);
    const compute = async (sequence: number): Promise<PowerSnapshot> => {
      const { cluster, labelledClusters, groupBy, intervalSeconds } = args;
      const now = await this.power.power({ cluster, labelledClusters }, scope, true);
      return {
        sequence,
        cluster,
        groupBy,
        intervalSeconds,
        totalWatts: now.breakdown.totalWatts,
        groups: groupsOf(now.breakdown, groupBy).map((g) => ({ ...g })),
        unavailableClusters: [...new Set(now.failures.map((f) => f.cluster))],
        observedAt: now.observedAt,
      };
    };
    return { key, intervalMs: args.intervalSeconds * 1000, compute };
  }
}

export function validateInterval(seconds: number): void {
  assertIntervalSeconds(seconds, MIN_INTERVAL_SECONDS, MAX_INTERVAL_SECONDS);
}
