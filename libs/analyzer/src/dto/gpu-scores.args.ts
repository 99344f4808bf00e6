import { ArgsType, Field, Int, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsEnum, IsInt, IsOptional, IsString, Max, Min, ValidateNested } from 'class-validator';
import { MAX_PAGE_SIZE } from '@kcloud/common';
import { GpuScoreFilterInput } from './gpu-score-filter.input';

export enum GpuScoreOrderBy {
  DEVICE = 'DEVICE',
  SCORE_ASC = 'SCORE_ASC',
  SCORE_DESC = 'SCORE_DESC',
  STATUS_SINCE_ASC = 'STATUS_SINCE_ASC',
  STATUS_SINCE_DESC = 'STATUS_SINCE_DESC',
}
registerEnumType(GpuScoreOrderBy, {
  name: 'GpuScoreOrderBy',
  description:
    'DEVICE: cluster, node, index; STATUS_SINCE_ASC: longest in its status first; UNKNOWN scores sort last',
});

@ArgsType()
export class GpuScoresArgs {
  @Field(() => GpuScoreFilterInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => GpuScoreFilterInput)
  filter?: GpuScoreFilterInput;

  @Field(() => GpuScoreOrderBy, { nullable: true, defaultValue: GpuScoreOrderBy.DEVICE })
  @IsOptional()
  @IsEnum(GpuScoreOrderBy)
  orderBy?: GpuScoreOrderBy;

  @Field(() => Int, { nullable: true, defaultValue: 100 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_PAGE_SIZE)
  first?: number;

  @Field(() => String, { nullable: true }) @IsOptional() @IsString() after?: string;
}
