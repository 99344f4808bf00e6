import { Field, Float, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'Power of one group (a cluster, node, namespace or resource type), watts' })
export class PowerGroup {
  @Field({ description: 'Cluster, node or namespace name, or CPU/DRAM/GPU/NPU/OTHER' }) key!: string;
  @Field(() => String, { nullable: true, description: 'The cluster of a node group' }) cluster?: string;
  @Field(() => Float) watts!: number;
}

@ObjectType({
  description:
    'Unified power now. Node power is the BMC’s (DCMI), else Kepler’s platform, else its components.',
})
export class PowerSummary {
  @Field(() => Float, { description: 'Total power, watts' }) totalWatts!: number;
  @Field(() => [PowerGroup]) byCluster!: PowerGroup[];
  @Field(() => [PowerGroup]) byNode!: PowerGroup[];
  @Field(() => [PowerGroup], {
    description: 'Power Kepler attributes to pods (CPU + DRAM + GPU), by namespace',
  })
  byNamespace!: PowerGroup[];
  @Field(() => [PowerGroup]) byResourceType!: PowerGroup[];
  @Field(() => Int) nodeCount!: number;
  @Field({
    description: 'True when only namespace-attributed (pod) power is counted: a namespace filter or scope',
  })
  namespacesOnly!: boolean;
  @Field(() => Date) observedAt!: Date;
}
