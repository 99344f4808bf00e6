import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min, ValidateNested } from 'class-validator';
import { ArgsType, Field, Int } from '@nestjs/graphql';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '@kcloud/common';
import { NodeFilterInput, PodFilterInput } from './infra-filter.input';

@ArgsType()
abstract class PageArgs {
  @Field(() => Int, { nullable: true, defaultValue: DEFAULT_PAGE_SIZE })
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
