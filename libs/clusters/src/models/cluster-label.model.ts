import { Field, ObjectType } from '@nestjs/graphql';

@ObjectType({
  description: 'One constant label of a cluster (PROMETHEUS_CLUSTERS labels, e.g. platform, datacenter)',
})
export class ClusterLabel {
  @Field() name!: string;
  @Field() value!: string;
}
