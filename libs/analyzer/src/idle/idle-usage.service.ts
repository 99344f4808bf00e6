import { Injectable } from '@nestjs/common';
import { AppConfig, badInput, Clock, type TenantScope } from '@kcloud/common';
import { IdleLedgerStore } from './idle-ledger.store';
import { type IdleSettings, idleSettings } from './idle-settings';
import { type IdleGroupBy, idleUsage, type IdleUsageFilter, type IdleUsageResult } from './idle-usage';

/** Buckets one range may read (at the default hour buckets: more than a year). */
export const MAX_RANGE_BUCKETS = 10_000;
/** Clock skew between replicas allowed for when deciding that no cycle can charge a bucket any more. */
const FINAL_SKEW_MS = 10 * 60_000;

/** Idle usage over a range from the shared ledger: the same answer on every replica, whatever ran when. */
@Injectable()
export class IdleUsageService {
  private readonly settings: IdleSettings;

  constructor(
    config: AppConfig,
    private readonly store: IdleLedgerStore,
    private readonly clock: Clock,
  ) {
    this.settings = idleSettings(config);
  }

  async usage(
    from: Date,
    to: Date,
    groupBy: IdleGroupBy,
    filter: IdleUsageFilter,
    scope: TenantScope,
  ): Promise<IdleUsageResult> {
    const fromMs = from.getTime();
    const toMs = to.getTime();
    if (!Number.isFinite(fromMs) || !Number.isFinite(toMs) || fromMs >= toMs)
      throw badInput('range', 'range.from must be before range.to');
    if ((toMs - fromMs) / this.settings.bucketMs > MAX_RANGE_BUCKETS)
      throw badInput(
        'range',
        `the range spans more than ${MAX_RANGE_BUCKETS} ledger buckets of ${this.settings.bucketMs / 1000} s`,
      );
    // Nothing is charged after now (the bucket holding now at most) nor, after the longest charged gap, before it.
    const nowMs = this.clock.nowMs();
    const { bucketMs, maxGapMs } = this.settings;
    const buckets = await this.store.buckets(
      fromMs,
      Math.min(toMs, nowMs + bucketMs),
      bucketMs,
      nowMs - maxGapMs - bucketMs - FINAL_SKEW_MS,
    );
    return idleUsage(buckets, fromMs, toMs, groupBy, filter, scope, this.settings.prices);
  }
}
