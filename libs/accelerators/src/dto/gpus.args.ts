import { ArgsType, Field } from '@nestjs/graphql';
import { IsOptional, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import { GpuFilterInput } from './gpu-filter.input';
import { PageArgs } from '@kcloud/common';

@ArgsType()
export class GpusArgs extends PageArgs {
  @Field(() => GpuFilterInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => GpuFilterInput)
  filter?: GpuFilterInput;
}
