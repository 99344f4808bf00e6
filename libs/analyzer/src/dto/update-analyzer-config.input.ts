import { Field, Float, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsInt, IsNumber, IsOptional, ValidateNested } from 'class-validator';

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
  @Field(() => ScoreWeightsInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => ScoreWeightsInput)
  weights?: ScoreWeightsInput;

  @Field(() => ScoreThresholdsInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => ScoreThresholdsInput)
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
