import { ArgsType, Field, Int } from '@nestjs/graphql';
import { IsInt, Max, Min } from 'class-validator';
import { NestedInput } from '@kcloud/common';
import { GpuFilterInput } from '../dto/gpu-filter.input';
import {
  DEFAULT_LIVE_FIRST,
  DEFAULT_LIVE_INTERVAL_SECONDS,
  MAX_LIVE_FIRST,
  MAX_LIVE_INTERVAL_SECONDS,
  MIN_LIVE_INTERVAL_SECONDS,
} from './gpu-metrics.hub';

@ArgsType()
export class GpuMetricsUpdatedArgs {
  @NestedInput(() => GpuFilterInput, { description: 'As for gpus; narrowed to the key’s scope' })
  filter?: GpuFilterInput;

  @Field(() => Int, {
    defaultValue: DEFAULT_LIVE_INTERVAL_SECONDS,
    description: `seconds between snapshots, ${MIN_LIVE_INTERVAL_SECONDS}–${MAX_LIVE_INTERVAL_SECONDS}`,
  })
  @IsInt()
  @Min(MIN_LIVE_INTERVAL_SECONDS)
  @Max(MAX_LIVE_INTERVAL_SECONDS)
  intervalSeconds!: number;

  @Field(() => Int, {
    defaultValue: DEFAULT_LIVE_FIRST,
    description: `at most this many GPUs per snapshot, 1–${MAX_LIVE_FIRST} (totalCount counts all)`,
  })
  @IsInt()
  @Min(1)
  @Max(MAX_LIVE_FIRST)
  first!: number;
}
