import { Field, InputType } from '@nestjs/graphql';
import { IsString, MaxLength } from 'class-validator';

@InputType({
  description: 'A cluster label to match exactly (PROMETHEUS_CLUSTERS labels, as Cluster.labels lists them)',
})
export class ClusterLabelMatchInput {
  @Field() @IsString() @MaxLength(63) name!: string;
  @Field() @IsString() @MaxLength(256) value!: string;
}
