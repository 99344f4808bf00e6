import { Type } from 'class-transformer';
import { IsOptional, ValidateNested } from 'class-validator';
import { ArgsType, Field } from '@nestjs/graphql';
import { PageArgs } from '@kcloud/common';
import { NodeFilterInput, PodFilterInput } from './infra-filter.input';

@ArgsType()
export class NodesArgs extends PageArgs {
  @Field(() => NodeFilterInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => NodeFilterInput)
  filter?: NodeFilterInput;
}

@ArgsType()
export class PodsArgs extends PageArgs {
  @Field(() => PodFilterInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => PodFilterInput)
  filter?: PodFilterInput;
}
