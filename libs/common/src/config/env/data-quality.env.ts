import { IntEnv } from './env-decorators';

/** Data quality of device readings (dataQuality on GPUs and NPUs). */
export class DataQualityEnv {
  /** A device whose readings stay identical for this many consecutive scrapes (while its target is up) is FROZEN. */
  @IntEnv({ min: 3, max: 1_000 }) DATA_FROZEN_SAMPLES = 10;

  /** Devices last seen this long ago on a target that is now down are still listed, as EXPORTER_DOWN. */
  @IntEnv({ min: 10, max: 86_400 }) DATA_DOWN_LOOKBACK_SECONDS = 600;
}
