import { ArgsType, Field } from '@nestjs/graphql';
import { IsOptional, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import { AcceleratorFilterInput } from './accelerator-filter.input';
import { PageArgs } from '@kcloud/common';

@ArgsType()
export class AcceleratorsArgs extends PageArgs {
  @Field(() => AcceleratorFilterInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => AcceleratorFilterInput)
  filter?: AcceleratorFilterInput;
}
