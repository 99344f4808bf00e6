import { Field, Float, ID, InputType } from '@nestjs/graphql';
import {
  ArrayMaxSize,
  IsArray,
  IsEnum,
  IsNumber,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { ClusterSelectionFilterInput, FilterText } from '@kcloud/common';
import { GpuActivityState } from '../activity/activity-state';
import { GpuScoreStatus } from '../models/gpu-score-status.enum';

/** Longest list a filter field accepts. */
export const MAX_FILTER_LIST = 1_000;

@InputType()
export class GpuScoreFilterInput extends ClusterSelectionFilterInput {
  @FilterText() namespace?: string;
  @FilterText() node?: string;
  @Field(() => GpuScoreStatus, { nullable: true })
  @IsOptional()
  @IsEnum(GpuScoreStatus)
  status?: GpuScoreStatus;
  @Field(() => Float, { nullable: true }) @IsOptional() @IsNumber() @Min(0) @Max(100) minScore?: number;
  @Field(() => Float, { nullable: true }) @IsOptional() @IsNumber() @Min(0) @Max(100) maxScore?: number;
  @Field(() => GpuActivityState, { nullable: true })
  @IsOptional()
  @IsEnum(GpuActivityState)
  activityState?: GpuActivityState;
}

@InputType()
export class GpuScoreChangedFilterInput extends ClusterSelectionFilterInput {
  @FilterText() namespace?: string;
  @Field(() => GpuScoreStatus, { nullable: true, description: 'Only changes whose new status is this' })
  @IsOptional()
  @IsEnum(GpuScoreStatus)
  status?: GpuScoreStatus;
  @Field(() => [ID], { nullable: true, description: 'GPU UUIDs (or UUID/instance for one MIG instance)' })
  @IsOptional()
  @IsArray()
  // Each subscriber's list is checked against every event: bounded like every list-valued filter.
  @ArrayMaxSize(MAX_FILTER_LIST)
  @IsString({ each: true })
  @MaxLength(253, { each: true })
  uuids?: string[];
}
