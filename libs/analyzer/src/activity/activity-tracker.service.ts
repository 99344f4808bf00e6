import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { AppConfig } from '@kcloud/common';
import {
  DEVICE_QUALITY_SOURCE,
  type DeviceQualitySource,
  gpuKey,
  type GpuWindowAggregate,
} from '@kcloud/metrics-source';
import type { ScoreRecord } from '../scoring/records';
import { type ActivitySettings, activitySettings } from './activity-settings';
import { nextDeviceActivity } from './device-activity';

/**
 * Advances every device's activity state once per analyzer cycle. The evidence lives on the ScoreRecords, so it is
 * committed with the cycle's results (Redis or STATE_DIR) and survives restarts and leader changes like `statusSince`.
 * Frozen readings come from the data-quality layer (one request per cluster); when it cannot answer, the cycle goes
 * on without it.
 */
@Injectable()
export class ActivityTracker {
  private readonly logger = new Logger(ActivityTracker.name);
  readonly settings: ActivitySettings;
  private readonly frozenSamples: number;

  constructor(
    config: AppConfig,
    @Optional() @Inject(DEVICE_QUALITY_SOURCE) private readonly quality?: DeviceQualitySource,
  ) {
    this.settings = activitySettings(config);
    this.frozenSamples = config.env.DATA_FROZEN_SAMPLES;
  }

  /** `fresh[i]` is the record scored from `items[i]`; returns them with their activity advanced. */
  async advance(
    items: readonly GpuWindowAggregate[],
    fresh: readonly ScoreRecord[],
    previous: ReadonlyMap<string, ScoreRecord>,
    nowMs: number,
    windowSeconds: number,
    stalenessSeconds: number,
  ): Promise<ScoreRecord[]> {
    const frozen = await this.frozenKeys();
    return fresh.map((record, i) => {
      const aggregate = items[i];
      // One record per aggregate by contract; a record without one keeps its activity as it was.
      if (!aggregate) return record;
      return {
        ...record,
        activity: nextDeviceActivity(
          {
            aggregate,
            score: record,
            previous: previous.get(record.key)?.activity,
            frozenReason: frozen.has(gpuKey(aggregate))
              ? `frozen: readings identical for ${this.frozenSamples} scrapes`
              : undefined,
            nowMs,
            windowSeconds,
            stalenessSeconds,
          },
          this.settings,
        ),
      };
    });
  }

  private async frozenKeys(): Promise<ReadonlySet<string>> {
    if (!this.quality) return new Set();
    try {
      const { items, failures } = await this.quality.gpuEvidence({});
      for (const f of failures)
        this.logger.warn(`frozen-reading check of '${f.cluster}' failed (${f.message})`);
      return new Set(items.flatMap((e) => e.frozenKeys));
    } catch (e) {
      this.logger.warn(
        `frozen-reading check failed (${(e as Error).message}); activity states go without it`,
      );
      return new Set();
    }
  }
}
