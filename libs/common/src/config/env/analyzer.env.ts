import {
  Validate,
  type ValidationArguments,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { BoolEnv, IntEnv, NumberEnv, StringEnv } from './env-decorators';

/** Analyzer weights must sum to 1 (within 1e-9); reported once, on the last weight. */
@ValidatorConstraint({ name: 'analyzerWeightsSumToOne' })
class AnalyzerWeightsSumToOne implements ValidatorConstraintInterface {
  validate(_: unknown, args: ValidationArguments): boolean {
    const e = args.object as AnalyzerEnv;
    const sum =
      e.ANALYZER_WEIGHT_UTILIZATION +
      e.ANALYZER_WEIGHT_MEMORY_COPY +
      e.ANALYZER_WEIGHT_MEMORY_USED +
      e.ANALYZER_WEIGHT_POWER;
    return Math.abs(sum - 1) <= 1e-9;
  }
  defaultMessage(): string {
    return 'ANALYZER_WEIGHT_UTILIZATION + _MEMORY_COPY + _MEMORY_USED + _POWER must sum to 1';
  }
}

@ValidatorConstraint({ name: 'analyzerThresholdsIncrease' })
class AnalyzerThresholdsIncrease implements ValidatorConstraintInterface {
  validate(_: unknown, args: ValidationArguments): boolean {
    const e = args.object as AnalyzerEnv;
    return (
      e.ANALYZER_THRESHOLD_IDLE < e.ANALYZER_THRESHOLD_LOW &&
      e.ANALYZER_THRESHOLD_LOW < e.ANALYZER_THRESHOLD_HIGH
    );
  }
  defaultMessage(): string {
    return 'ANALYZER_THRESHOLD_IDLE < ANALYZER_THRESHOLD_LOW < ANALYZER_THRESHOLD_HIGH must hold';
  }
}

/** The analyzer (GPU scores): schedule, window, weights and thresholds, checked together by the constraints above. */
export class AnalyzerEnv {
  @BoolEnv() ANALYZER_ENABLED = true;

  /** Score only GPUs some pod holds (seed 002's `{pod!=""}`); the others are skipped, not in results or stats. */
  @BoolEnv() ANALYZER_ALLOCATED_ONLY = false;

  /**
   * The configured cluster (PROMETHEUS_CLUSTERS name) whose Prometheus scrapes the API's own /metrics: Gpu.history
   * reads the exported score series there. Unset: each GPU's cluster's Prometheus, `cluster` matched.
   */
  @StringEnv({ optional: true }) ANALYZER_HISTORY_PROMETHEUS?: string;

  @IntEnv({ min: 1, max: 86_400 }) ANALYZER_INTERVAL_SECONDS = 60;

  @IntEnv({ min: 5, max: 86_400 }) ANALYZER_WINDOW_SECONDS = 600;

  /** A GPU whose newest sample is older than this is reported UNKNOWN (stale), not scored. */
  @IntEnv({ min: 1, max: 86_400 }) ANALYZER_STALENESS_SECONDS = 180;

  /**
   * Framebuffer capacity, reservation and power limit are re-read this often (and at once for a new device) rather
   * than averaged on every cycle; 0 reads them every cycle. A changed power cap shows within this time.
   */
  @IntEnv({ min: 0, max: 86_400 }) ANALYZER_CONSTANTS_TTL_SECONDS = 300;

  @NumberEnv({ min: 0, max: 1 }) ANALYZER_WEIGHT_UTILIZATION = 0.5;

  @NumberEnv({ min: 0, max: 1 }) ANALYZER_WEIGHT_MEMORY_COPY = 0.2;

  @NumberEnv({ min: 0, max: 1 }) ANALYZER_WEIGHT_MEMORY_USED = 0.2;

  @NumberEnv({ min: 0, max: 1 })
  @Validate(AnalyzerWeightsSumToOne)
  ANALYZER_WEIGHT_POWER = 0.1;

  @NumberEnv({ min: 0, max: 100 }) ANALYZER_THRESHOLD_IDLE = 10;

  @NumberEnv({ min: 0, max: 100 }) ANALYZER_THRESHOLD_LOW = 20;

  @NumberEnv({ min: 0, max: 100 })
  @Validate(AnalyzerThresholdsIncrease)
  ANALYZER_THRESHOLD_HIGH = 70;

  /** Utilisation and memory copy both below this % over the window make a GPU idle whatever memory it holds; 0 = off. */
  @NumberEnv({ min: 0, max: 100 }) ANALYZER_IDLE_ACTIVITY_PERCENT = 1;

  /** Power limit for models the built-in TDP table does not know, when the exporter sends no limit. */
  @NumberEnv({ min: 1, max: 5000 }) ANALYZER_DEFAULT_POWER_LIMIT_WATTS = 300;

  /** Default score move that fires gpuScoreChanged; each subscription may ask for another within 1–100. */
  @NumberEnv({ min: 1, max: 100 }) ANALYZER_MIN_DELTA = 5;
}
