import { ArgsType, Field } from '@nestjs/graphql';
import { IsOptional, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import { GpuProcessFilterInput } from './gpu-process-filter.input';
import { PageArgs } from '@kcloud/common';

@ArgsType()
export class GpuProcessesArgs extends PageArgs {
  @Field(() => GpuProcessFilterInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => GpuProcessFilterInput)
  filter?: GpuProcessFilterInput;
}
