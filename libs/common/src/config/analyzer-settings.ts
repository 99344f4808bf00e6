import type { EnvSchema } from './env.schema';

/** The analyzer's boot settings (ANALYZER_*); weights sum to 1 and thresholds increase (checked in EnvSchema). */
export interface AnalyzerSettings {
  readonly enabled: boolean;
  /** ANALYZER_ALLOCATED_ONLY: GPUs no pod holds are skipped, not scored. */
  readonly allocatedOnly: boolean;
  /** ANALYZER_HISTORY_PROMETHEUS: the cluster whose Prometheus holds the API's exported series (Gpu.history). */
  readonly historyPrometheus?: string;
  readonly intervalSeconds: number;
  readonly windowSeconds: number;
  readonly stalenessSeconds: number;
  /** How long device constants (capacity, reservation, power limit) are reused between window reads. */
  readonly constantsTtlSeconds: number;
  readonly weights: {
    readonly utilization: number;
    readonly memoryCopy: number;
    readonly memoryUsed: number;
    readonly power: number;
  };
  readonly thresholds: { readonly idle: number; readonly low: number; readonly high: number };
  readonly idleActivityPercent: number;
  readonly defaultPowerLimitWatts: number;
  readonly minDelta: number;
  readonly webhooks: {
    readonly controlApiUrl?: string;
    readonly alertWebhookUrl?: string;
    readonly timeoutMs: number;
    readonly retries: number;
    readonly cooldownSeconds: number;
  };
  /** The optional AI second opinion (ANALYZER_AI_*); `apiUrl` absent: not configured. */
  readonly ai: {
    readonly enabled: boolean;
    readonly apiUrl?: string;
    readonly model: string;
    readonly apiKey?: string;
    readonly minConfidence: number;
    readonly nearThresholdPoints: number;
    readonly concurrency: number;
    readonly timeoutMs: number;
    readonly maxGpusPerCycle: number;
    readonly cacheTtlSeconds: number;
  };
}

/** ANALYZER_* and IDLE_* variables the scorer reads, grouped. */
export function analyzerSettings(env: EnvSchema): AnalyzerSettings {
  return {
    enabled: env.ANALYZER_ENABLED,
    allocatedOnly: env.ANALYZER_ALLOCATED_ONLY,
    historyPrometheus: env.ANALYZER_HISTORY_PROMETHEUS,
    intervalSeconds: env.ANALYZER_INTERVAL_SECONDS,
    windowSeconds: env.ANALYZER_WINDOW_SECONDS,
    stalenessSeconds: env.ANALYZER_STALENESS_SECONDS,
    constantsTtlSeconds: env.ANALYZER_CONSTANTS_TTL_SECONDS,
    weights: {
      utilization: env.ANALYZER_WEIGHT_UTILIZATION,
      memoryCopy: env.ANALYZER_WEIGHT_MEMORY_COPY,
      memoryUsed: env.ANALYZER_WEIGHT_MEMORY_USED,
      power: env.ANALYZER_WEIGHT_POWER,
    },
    thresholds: {
      idle: env.ANALYZER_THRESHOLD_IDLE,
      low: env.ANALYZER_THRESHOLD_LOW,
      high: env.ANALYZER_THRESHOLD_HIGH,
    },
    idleActivityPercent: env.ANALYZER_IDLE_ACTIVITY_PERCENT,
    defaultPowerLimitWatts: env.ANALYZER_DEFAULT_POWER_LIMIT_WATTS,
    minDelta: env.ANALYZER_MIN_DELTA,
    webhooks: {
      controlApiUrl: env.ANALYZER_CONTROL_API_URL,
      alertWebhookUrl: env.ANALYZER_ALERT_WEBHOOK_URL,
      timeoutMs: env.ANALYZER_WEBHOOK_TIMEOUT_MS,
      retries: env.ANALYZER_WEBHOOK_RETRIES,
      cooldownSeconds: env.ANALYZER_WEBHOOK_COOLDOWN_SECONDS,
    },
    ai: {
      enabled: env.ANALYZER_AI_ENABLED,
      apiUrl: env.ANALYZER_AI_API_URL,
      model: env.ANALYZER_AI_MODEL,
      apiKey: env.ANALYZER_AI_API_KEY,
      minConfidence: env.ANALYZER_AI_THRESHOLD,
      nearThresholdPoints: env.ANALYZER_AI_NEAR_THRESHOLD_POINTS,
      concurrency: env.ANALYZER_AI_CONCURRENCY,
      timeoutMs: env.ANALYZER_AI_TIMEOUT_MS,
      maxGpusPerCycle: env.ANALYZER_AI_MAX_GPUS_PER_CYCLE,
      cacheTtlSeconds: env.ANALYZER_AI_CACHE_TTL_SECONDS,
    },
  };
}
