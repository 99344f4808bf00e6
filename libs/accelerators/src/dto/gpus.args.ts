import { ArgsType, Field, Int } from '@nestjs/graphql';
import { IsInt, IsOptional, IsString, Max, Min, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import { MAX_PAGE_SIZE } from '@kcloud/common';
import { GpuFilterInput } from './gpu-filter.input';

@ArgsType()
export class GpusArgs {
  @Field(() => GpuFilterInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => GpuFilterInput)
  filter?: GpuFilterInput;

  @Field(() => Int, { nullable: true, defaultValue: 100 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_PAGE_SIZE)
  first?: number;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  after?: string;
}
