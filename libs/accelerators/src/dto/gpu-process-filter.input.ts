import { Field, ID, InputType } from '@nestjs/graphql';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** Exact-match filters on a process's GPU (cluster, node, tenant, UUID) and on the process's user. */
@InputType()
export class GpuProcessFilterInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(253)
  cluster?: string;
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(253)
  node?: string;
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(253)
  namespace?: string;
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(253)
  pod?: string;
  @Field(() => ID, { nullable: true, description: 'GPU UUID (GPU-…)' })
  @IsOptional()
  @IsString()
  @MaxLength(253)
  gpuUuid?: string;
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(253)
  user?: string;
}
