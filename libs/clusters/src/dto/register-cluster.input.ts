import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { Field, InputType, Int } from '@nestjs/graphql';
import { GPU_EXPORTERS, KEPLER_VERSIONS, NestedInput, TENANT_LABEL_MODES } from '@kcloud/common';

@InputType()
export class ClusterAuthInput {
  @Field({ description: 'basic or bearer' })
  @IsIn(['basic', 'bearer'])
  type!: 'basic' | 'bearer';

  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(256) username?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(1024) password?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(4096) token?: string;

  @Field(() => String, {
    nullable: true,
    description:
      'Name of a CLUSTER_SECRET_* environment variable holding the password on every replica (what is stored with REDIS_URL or STATE_DIR; a literal password is then refused)',
  })
  @IsOptional()
  @Matches(/^CLUSTER_SECRET_[A-Z0-9_]{1,64}$/)
  passwordEnv?: string;

  @Field(() => String, {
    nullable: true,
    description: 'Name of a CLUSTER_SECRET_* environment variable holding the bearer token on every replica',
  })
  @IsOptional()
  @Matches(/^CLUSTER_SECRET_[A-Z0-9_]{1,64}$/)
  tokenEnv?: string;
}

@InputType({ description: 'One constant label of a cluster (PROMETHEUS_CLUSTERS labels)' })
export class ClusterLabelInput {
  @Field() @IsString() @MaxLength(63) name!: string;
  @Field() @IsString() @MaxLength(256) value!: string;
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

  @Field(() => String, {
    nullable: true,
    description: 'dcgm (default), all-smi, nvidia-smi or nvidia-gpu (seed 004’s nvidia_gpu_* family)',
  })
  @IsOptional()
  @IsIn(GPU_EXPORTERS)
  gpuExporter?: string;

  @Field(() => [ClusterLabelInput], { nullable: true, description: 'Constant labels of this cluster' })
  @IsOptional()
  @ArrayMaxSize(32)
  @ValidateNested({ each: true })
  @Type(() => ClusterLabelInput)
  labels?: ClusterLabelInput[];

  @Field(() => String, {
    nullable: true,
    description: 'On a global endpoint (CLUSTER_LABEL set): the label value that selects this cluster',
  })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  clusterLabelValue?: string;

  @NestedInput(() => ClusterAuthInput)
  auth?: ClusterAuthInput;
}
