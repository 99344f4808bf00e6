import { Field, InputType } from '@nestjs/graphql';
import { ArrayMaxSize, IsEnum, IsOptional } from 'class-validator';
import { FilterText } from '@kcloud/common';
import { DataQualityStatus } from '@kcloud/metrics-source';
import { GpuHealthStatus } from '../health/gpu-health';
import '../models/gpu-health.model';
import { DeviceTenantFilterInput } from './device-tenant-filter.input';

/** Exact-match filters every accelerator listing takes; values are escaped before they reach PromQL. */
@InputType({ isAbstract: true })
export abstract class DeviceFilterInput extends DeviceTenantFilterInput {
  @FilterText() model?: string;
  @FilterText({ id: true }) uuid?: string;
  @Field(() => [DataQualityStatus], {
    nullable: true,
    description:
      'Only devices whose dataQuality.status is one of these (e.g. [EXPORTER_DOWN, STALE, FROZEN])',
  })
  @IsOptional()
  @IsEnum(DataQualityStatus, { each: true })
  @ArrayMaxSize(5)
  dataQuality?: DataQualityStatus[];
}

/** The device filters plus GPU health (dcgm-exporter's health families have no NPU counterpart). */
@InputType()
export class GpuFilterInput extends DeviceFilterInput {
  @Field(() => [GpuHealthStatus], {
    nullable: true,
    description: 'Only GPUs whose health.status is one of these (e.g. [CRITICAL, WARNING])',
  })
  @IsOptional()
  @IsEnum(GpuHealthStatus, { each: true })
  @ArrayMaxSize(4)
  health?: GpuHealthStatus[];
}
