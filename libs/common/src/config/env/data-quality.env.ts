import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

/** Data quality of device readings (dataQuality on GPUs and NPUs). */
export class DataQualityEnv {
  /** A device whose readings stay identical for this many consecutive scrapes (while its target is up) is FROZEN. */
  @Type(() => Number)
  @IsInt()
  @Min(3)
  @Max(1_000)
  DATA_FROZEN_SAMPLES = 10;

  /** Devices last seen this long ago on a target that is now down are still listed, as EXPORTER_DOWN. */
  @Type(() => Number)
  @IsInt()
  @Min(10)
  @Max(86_400)
  DATA_DOWN_LOOKBACK_SECONDS = 600;
}
