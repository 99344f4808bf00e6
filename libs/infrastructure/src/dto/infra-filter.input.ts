import { Field, InputType } from '@nestjs/graphql';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** Exact-match filters; values are escaped before they reach PromQL. */
@InputType()
export class NodeFilterInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(253)
  cluster?: string;

  @Field(() => String, { nullable: true, description: 'node name' })
  @IsOptional()
  @IsString()
  @MaxLength(253)
  name?: string;
}

@InputType()
export class PodFilterInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(253)
  cluster?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(253)
  namespace?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(253)
  node?: string;

  @Field(() => String, { nullable: true, description: 'pod name' })
  @IsOptional()
  @IsString()
  @MaxLength(253)
  name?: string;
}
