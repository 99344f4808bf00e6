import { Field, Float, InputType, Int } from '@nestjs/graphql';
import { IsInt, IsNumber, IsOptional } from 'class-validator';
import { NestedInput } from '@kcloud/common';

@InputType()
export class ScoreWeightsInput {
  @Field(() => Float) @IsNumber() utilization!: number;
  @Field(() => Float) @IsNumber() memoryCopy!: number;
  @Field(() => Float) @IsNumber() memoryUsed!: number;
  @Field(() => Float) @IsNumber() power!: number;
}

@InputType()
export class ScoreThresholdsInput {
  @Field(() => Float) @IsNumber() idle!: number;
  @Field(() => Float) @IsNumber() low!: number;
  @Field(() => Float) @IsNumber() high!: number;
}

/** Omitted fields keep their value; the result is validated as a whole (weights sum to 1, thresholds increase). */
@InputType()
export class UpdateAnalyzerConfigInput {
  @NestedInput(() => ScoreWeightsInput)
  weights?: ScoreWeightsInput;

  @NestedInput(() => ScoreThresholdsInput)
  thresholds?: ScoreThresholdsInput;

  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() intervalSeconds?: number;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() windowSeconds?: number;
  @Field(() => Float, { nullable: true }) @IsOptional() @IsNumber() minDelta?: number;
  @Field(() => Float, { nullable: true }) @IsOptional() @IsNumber() idleActivityPercent?: number;

  @Field(() => Int, {
    nullable: true,
    description:
      'Refuse the change unless the stored version is still this one (read analyzerConfig.version)',
  })
  @IsOptional()
  @IsInt()
  expectedVersion?: number;
}
