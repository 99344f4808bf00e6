import { ArgsType, Field, Int } from '@nestjs/graphql';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { NestedInput, TimeRangeInput } from '@kcloud/common';
import { DeviceHistoryFilterInput, DeviceHistoryMetricsInput } from './device-history.model';

/** The most devices one deviceHistory page may hold (each is one series of up to 11,000 points). */
export const MAX_DEVICE_HISTORY_PAGE = 200;

@ArgsType()
export class DeviceHistoryArgs {
  @NestedInput(() => DeviceHistoryFilterInput)
  filter?: DeviceHistoryFilterInput;

  @NestedInput(() => TimeRangeInput, { required: true })
  range!: TimeRangeInput;

  @Field(() => Int, { nullable: true, description: 'Seconds between points; default as Gpu.history' })
  @IsOptional()
  @IsInt()
  stepSeconds?: number;

  @NestedInput(() => DeviceHistoryMetricsInput)
  metrics?: DeviceHistoryMetricsInput;

  @Field(() => Int, {
    nullable: true,
    defaultValue: 50,
    description: `Devices per page, at most ${MAX_DEVICE_HISTORY_PAGE}`,
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_DEVICE_HISTORY_PAGE)
  first?: number;

  @Field(() => String, { nullable: true })
  @IsOptional()
  after?: string;
}
