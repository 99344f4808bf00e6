import { Field, InputType } from '@nestjs/graphql';
import { ArrayMaxSize, IsEnum, IsOptional } from 'class-validator';
import { FilterText } from '@kcloud/common';
import { DataQualityStatus } from '@kcloud/metrics-source';
import { DeviceTenantFilterInput } from './device-tenant-filter.input';

/** Exact-match filters; any printable value is accepted and escaped before it reaches PromQL. */
@InputType()
export class GpuFilterInput extends DeviceTenantFilterInput {
  @FilterText() model?: string;
  @FilterText({ id: true }) uuid?: string;
  @Field(() => [DataQualityStatus], {
    nullable: true,
    description: 'Only devices whose dataQuality.status is one of these (e.g. [EXPORTER_DOWN, STALE, FROZEN])',
  })
  @IsOptional()
  @IsEnum(DataQualityStatus, { each: true })
  @ArrayMaxSize(5)
  dataQuality?: DataQualityStatus[];
}
