import { ArgsType, Field } from '@nestjs/graphql';
import { IsOptional, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import { NpuFilterInput } from './npu-filter.input';
import { PageArgs } from '@kcloud/common';

@ArgsType()
export class NpusArgs extends PageArgs {
  @Field(() => NpuFilterInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => NpuFilterInput)
  filter?: NpuFilterInput;
}
