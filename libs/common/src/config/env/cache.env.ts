import { IsOptional, IsUrl } from 'class-validator';
import { BoolEnv, IntEnv, StringEnv } from './env-decorators';

/** Cache lifetimes, the whole-response cache, Redis, and where shared state persists without Redis. */
export class CacheEnv {
  @IntEnv({ min: 0, max: 86400 }) CACHE_TTL_STATIC_SECONDS = 3600;

  @IntEnv({ min: 0, max: 3600 }) CACHE_TTL_REALTIME_SECONDS = 30;

  @IntEnv({ min: 0, max: 86400 }) CACHE_TTL_TIMESERIES_SECONDS = 300;

  @IntEnv({ min: 0, max: 3600 }) CACHE_TTL_SUMMARY_SECONDS = 60;

  /** Whole GraphQL answers (queries only) cached per document, variables and the caller's role and scope. */
  @BoolEnv() RESPONSE_CACHE_ENABLED = true;

  /** Upper bound on a cached answer's age; refreshes (analysis installed, snapshot re-read, mutations) drop it sooner. */
  @IntEnv({ min: 0, max: 3600 }) RESPONSE_CACHE_TTL_SECONDS = 30;

  @IsOptional()
  @IsUrl(
    { require_tld: false, protocols: ['redis', 'rediss'], require_protocol: true },
    { message: 'REDIS_URL must be a redis:// URL' },
  )
  REDIS_URL?: string;

  /**
   * Where shared admin state (analyzer config, registered clusters) and analyzer state (statuses, statusSince, webhook
   * cooldowns, last results) persist when REDIS_URL is unset: one JSON file per document. One replica per directory.
   * Neither set: that state lives in memory and is lost on restart.
   */
  @StringEnv({ optional: true }) STATE_DIR?: string;
}
