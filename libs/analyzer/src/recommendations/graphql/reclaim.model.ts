import { Field, Float, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsBoolean, IsEnum, IsOptional } from 'class-validator';
import { ClusterSelectionFilterInput, FilterText } from '@kcloud/common';
import { GpuActivityState } from '../../activity/activity-state';
import { ReclaimAction } from '../reclaim-action';

registerEnumType(ReclaimAction, {
  name: 'ReclaimAction',
  description:
    'STOP_NOTEBOOK, SCALE_TO_ZERO (the owning controller), MOVE_TO_SMALLER_MIG_PROFILE (memory held, little ' +
    'compute), RELEASE_GPU (a Job or bare pod); advice only, nothing is acted on',
});

@ObjectType({ description: 'A wasted GPU and what to do about it (dry run: advice only)' })
export class ReclaimRecommendation {
  @Field(() => ID, { description: 'The GPU id as in Gpu.id: UUID, or UUID/migInstanceId' }) gpuId!: string;
  @Field() cluster!: string;
  @Field() node!: string;
  @Field() model!: string;
  @Field() namespace!: string;
  @Field() pod!: string;
  @Field(() => String, {
    nullable: true,
    description: 'Kind/name of the pod’s controller (kube-state-metrics)',
  })
  owner?: string;
  @Field(() => GpuActivityState) state!: GpuActivityState;
  @Field(() => Date) idleSince!: Date;
  @Field(() => Float, {
    description: 'Since idleSince, the GPU’s share (MIG instance: its slices over the GPU’s)',
  })
  idleGpuHours!: number;
  @Field(() => Float) idleEnergyKWh!: number;
  @Field(() => Float) idleCost!: number;
  @Field() currency!: string;
  @Field(() => ReclaimAction) action!: ReclaimAction;
  @Field() reason!: string;
  @Field(() => Date, {
    nullable: true,
    description: 'Snoozed until then (listed only with includeAcknowledged)',
  })
  acknowledgedUntil?: Date;
  @Field(() => String, { nullable: true }) acknowledgementNote?: string;
}

@InputType()
export class ReclaimFilterInput extends ClusterSelectionFilterInput {
  @FilterText() namespace?: string;
  @Field(() => ReclaimAction, { nullable: true }) @IsOptional() @IsEnum(ReclaimAction) action?: ReclaimAction;
  @Field(() => Boolean, { nullable: true, description: 'Also list snoozed recommendations' })
  @IsOptional()
  @IsBoolean()
  includeAcknowledged?: boolean;
}
