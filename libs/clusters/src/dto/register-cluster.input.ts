import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { Field, InputType, Int } from '@nestjs/graphql';
import { KEPLER_VERSIONS, TENANT_LABEL_MODES } from '@kcloud/common';

@InputType()
export class ClusterAuthInput {
  @Field({ description: 'basic or bearer' })
  @IsIn(['basic', 'bearer'])
  type!: 'basic' | 'bearer';

  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(256) username?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(1024) password?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(4096) token?: string;
}

/** The same fields as a PROMETHEUS_CLUSTERS entry; validated by the same rules (name pattern, http(s) URL, duplicates). */
@InputType()
export class RegisterClusterInput {
  @Field({ description: 'Unique name, [a-zA-Z0-9][a-zA-Z0-9_.:-]{0,62}' })
  @IsString()
  @MaxLength(63)
  name!: string;

  @Field({ description: 'Prometheus-compatible base URL, http(s)' })
  @IsString()
  @MaxLength(2048)
  url!: string;

  @Field(() => Int, { nullable: true, description: 'Per-request timeout, milliseconds' })
  @IsOptional()
  @IsInt()
  @Min(100)
  @Max(120000)
  timeoutMs?: number;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Ask this Prometheus for gzip answers (default PROMETHEUS_COMPRESSION); for a slow link',
  })
  @IsOptional()
  @IsBoolean()
  compression?: boolean;

  @Field(() => String, { nullable: true, description: 'v0.10 (default) or v0.7 Kepler metric names' })
  @IsOptional()
  @IsIn(KEPLER_VERSIONS)
  keplerVersion?: string;

  @Field(() => String, { nullable: true, description: 'auto, exported or plain dcgm-exporter tenant labels' })
  @IsOptional()
  @IsIn(TENANT_LABEL_MODES)
  tenantLabels?: string;

  @Field(() => ClusterAuthInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => ClusterAuthInput)
  auth?: ClusterAuthInput;
}
