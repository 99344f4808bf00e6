import { ArgsType, Field, registerEnumType } from '@nestjs/graphql';
import { IsEnum, IsOptional } from 'class-validator';
import { FilteredPageArgs } from '@kcloud/common';
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
export class GpuScoresArgs extends FilteredPageArgs(GpuScoreFilterInput) {
  @Field(() => GpuScoreOrderBy, { nullable: true, defaultValue: GpuScoreOrderBy.DEVICE })
  @IsOptional()
  @IsEnum(GpuScoreOrderBy)
  orderBy?: GpuScoreOrderBy;
}
