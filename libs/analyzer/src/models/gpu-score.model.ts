import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { GpuActivityState } from '../activity/activity-state';
import { GpuScoreStatus } from './gpu-score-status.enum';

@ObjectType({
  description: 'The scored inputs, each a window average in 0–100 (null when it could not be read)',
})
export class GpuScoreInputs {
  @Field(() => Float, { nullable: true, description: 'GPU_UTIL, or GR_ENGINE_ACTIVE × 100 on MIG instances' })
  utilizationPercent?: number;
  @Field(() => Float, { nullable: true, description: 'MEM_COPY_UTIL, or DRAM_ACTIVE × 100 on MIG instances' })
  memoryCopyUtilizationPercent?: number;
  @Field(() => Float, { nullable: true, description: 'FB_USED / (FB_USED + FB_FREE + FB_RESERVED) × 100' })
  memoryUsedPercent?: number;
  @Field(() => Float, { nullable: true, description: 'power / power limit × 100' }) powerPercent?: number;
  @Field(() => String, { nullable: true, description: 'GPU_UTIL or GR_ENGINE_ACTIVE' })
  utilizationSource?: string;
  @Field(() => String, { nullable: true, description: 'MEM_COPY_UTIL or DRAM_ACTIVE' })
  memoryCopySource?: string;
  @Field(() => String, { nullable: true, description: 'DEVICE, or PARENT_GPU for MIG instances' })
  powerSource?: string;
  @Field(() => String, { nullable: true, description: 'EXPORTER, MODEL_TDP or CONFIGURED_DEFAULT' })
  powerLimitSource?: string;
  @Field(() => Float, { nullable: true }) powerLimitWatts?: number;
}

@ObjectType({
  description: 'The analyzer result of one GPU or MIG instance, attributed to one pod holding it',
})
export class GpuScore {
  @Field(() => ID, { description: 'The GPU id (UUID or UUID/instance); time-sliced GPUs add #namespace/pod' })
  id!: string;
  @Field(() => ID, { description: 'The GPU id as in Gpu.id: UUID, or UUID/migInstanceId' }) gpuId!: string;
  @Field(() => ID) uuid!: string;
  @Field(() => String, { nullable: true }) migInstanceId?: string;
  @Field(() => String, { nullable: true }) migProfile?: string;
  @Field() cluster!: string;
  @Field() node!: string;
  @Field() model!: string;
  @Field(() => String, { nullable: true }) namespace?: string;
  @Field(() => String, { nullable: true }) pod?: string;
  @Field(() => String, { nullable: true }) container?: string;
  @Field(() => Int, { description: 'Pods sharing the physical device (time-slicing); 0 when unallocated' })
  sharedWith!: number;
  @Field(() => Float, {
    nullable: true,
    description: 'Weighted score 0–100; null when the status is UNKNOWN',
  })
  score?: number;
  @Field(() => GpuScoreStatus) status!: GpuScoreStatus;
  @Field(() => String, {
    nullable: true,
    description: 'Why the status is UNKNOWN, or why IDLE overrides the score',
  })
  reason?: string;
  @Field(() => Date, {
    description: 'When the GPU entered its current status (first sighting if never seen to change)',
  })
  statusSince!: Date;
  @Field(() => Float, { description: 'Seconds in the current status, as of now' })
  statusDurationSeconds!: number;
  @Field(() => Int) windowSeconds!: number;
  @Field(() => Date) computedAt!: Date;
  @Field(() => Date, { description: 'Newest sample of the GPU used by the computation' }) observedAt!: Date;
  @Field({
    description: 'True when the GPU’s cluster failed in the latest cycle and this is its last good result',
  })
  stale!: boolean;
  @Field(() => Float, { description: 'Seconds since computedAt' }) ageSeconds!: number;
  @Field(() => GpuScoreInputs) inputs!: GpuScoreInputs;
  @Field(() => Float, { nullable: true, description: 'Window average of FB_USED' }) memoryUsedMiB?: number;
  @Field(() => Float, { nullable: true, description: 'Window average of board power' }) powerWatts?: number;
  @Field(() => Float, { nullable: true, description: 'Window average of the SM clock' }) smClockMHz?: number;
  @Field(() => GpuActivityState, {
    description:
      'Allocation-aware activity state with hysteresis (IDLE_*); UNKNOWN until a cycle has judged it',
  })
  activityState!: GpuActivityState;
  @Field(() => Date, { nullable: true, description: 'When the device entered its activity state' })
  activityStateSince?: Date;
  @Field(() => String, {
    nullable: true,
    description: 'Why the state is UNKNOWN or idle, or which signal stood in for GR_ENGINE_ACTIVE',
  })
  activityReason?: string;
  @Field(() => Float, { nullable: true, description: 'Activity of the latest window, 0–100' })
  activityPercent?: number;
  @Field(() => String, { nullable: true, description: 'GR_ENGINE_ACTIVE or GPU_UTIL' })
  activitySource?: string;
}
