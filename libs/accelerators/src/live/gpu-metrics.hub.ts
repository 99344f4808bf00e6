import { Inject, Injectable, Logger, type OnModuleDestroy, Optional } from '@nestjs/common';
import { badInput, type DomainError, KeyQuota, type Principal, type TenantScope } from '@kcloud/common';
import {
  assertIntervalSeconds,
  chargedPerSnapshot,
  PolledStreams,
  STREAM_SCHEDULER,
  type StreamScheduler,
} from '@kcloud/realtime';
import { type HealthFilter, type QualityFilter, DataQualityService } from '../data-quality.service';
import { type GpuQuery, toDeviceFilter } from '../device-query';
import { toGpu } from '../gpu-view';
import type { GpuMetricsSnapshot } from './gpu-metrics-snapshot.model';

export const MIN_LIVE_INTERVAL_SECONDS = 1;
export const MAX_LIVE_INTERVAL_SECONDS = 300;
export const DEFAULT_LIVE_INTERVAL_SECONDS = 5;
/** A tile's worth: each GPU multiplies the selection's complexity (GRAPHQL_MAX_COMPLEXITY), as `first` does for gpus. */
export const DEFAULT_LIVE_FIRST = 10;
/** Whole selections of 1,000 GPUs exceed GRAPHQL_MAX_COMPLEXITY (about 105 per Gpu with every field); 500 stay under it. */
export const MAX_LIVE_FIRST = 500;
/** A tick is one fresh read of the GPU readings: charged as the `gpus` poll it replaces (one upstream unit). */
export const UNITS_PER_TICK = 1;

export interface GpuMetricsStreamArgs {
  readonly filter: GpuQuery & QualityFilter & HealthFilter;
  readonly intervalSeconds: number;
  readonly first: number;
}

/**
 * Live GPU readings for dashboards that polled `gpus`: one timer and one upstream read per tick per distinct
 * (filter ∩ scope, interval, first, scope), shared by every subscriber of it (PolledStreams, as powerUpdated), and
 * the same snapshot object to all of them, so the shared graphql-ws execution runs each selection once per tick.
 */
@Injectable()
export class GpuMetricsHub implements OnModuleDestroy {
  private readonly streams: PolledStreams<GpuMetricsSnapshot>;

  constructor(
    private readonly quality: DataQualityService,
    @Inject(STREAM_SCHEDULER) scheduler: StreamScheduler,
    @Optional() private readonly quota?: KeyQuota,
  ) {
    this.streams = new PolledStreams(scheduler, new Logger(GpuMetricsHub.name));
  }

  /** Upstream reads since start: one per tick per distinct stream, whatever the subscriber count. */
  get computations(): number {
    return this.streams.computations;
  }

  get activeStreams(): number {
    return this.streams.activeStreams;
  }

  /**
   * The stream as an async iterator; arguments are checked first (BAD_USER_INPUT), `return()` unsubscribes. Each
   * snapshot is charged to the subscriber's key (UNITS_PER_TICK) before it is handed over; over budget, the subscriber
   * gets a RATE_LIMITED error and its subscription ends (the stream stops with its last subscriber), so a key's live
   * streams read upstream no faster than its rate limit lets it poll.
   */
  iterate(
    args: GpuMetricsStreamArgs,
    scope: TenantScope,
    principal?: Principal,
  ): AsyncIterableIterator<GpuMetricsSnapshot | DomainError> {
    assertIntervalSeconds(args.intervalSeconds, MIN_LIVE_INTERVAL_SECONDS, MAX_LIVE_INTERVAL_SECONDS);
    if (!Number.isInteger(args.first) || args.first < 1 || args.first > MAX_LIVE_FIRST)
      throw badInput('first', `first must be a whole number between 1 and ${MAX_LIVE_FIRST}`);
    const { filter, intervalSeconds, first } = args;
    // The scope is in the key twice on purpose: the narrowed filter decides what is read, the scope what field
    // resolvers of the selection may see.
    const key = JSON.stringify([
      toDeviceFilter(filter, scope),
      filter.dataQuality ? [...filter.dataQuality].sort() : null,
      filter.health ? [...filter.health].sort() : null,
      intervalSeconds,
      first,
      scope.clusters ? [...scope.clusters].sort() : null,
      scope.namespaces ? [...scope.namespaces].sort() : null,
    ]);
    const compute = async (sequence: number): Promise<GpuMetricsSnapshot> => {
      // Fresh: the cache's realtime TTL (30 s by default) would repeat one reading for several ticks.
      const { items, failures } = await this.quality.gpus(filter, scope, true);
      return {
        sequence,
        intervalSeconds,
        totalCount: items.length,
        gpus: items
          .slice(0, first)
          .map(({ sample, quality }) => ({ ...toGpu(sample), dataQuality: quality })),
        unavailableClusters: [...new Set(failures.map((f) => f.cluster))],
        observedAt: new Date(),
      };
    };
    const snapshots = this.streams.iterate(key, intervalSeconds * 1000, compute);
    return chargedPerSnapshot(snapshots, () =>
      this.quota ? this.quota.chargeUpstream(principal, UNITS_PER_TICK) : Promise.resolve(true),
    );
  }

  onModuleDestroy(): void {
    this.streams.stopAll();
  }
}
