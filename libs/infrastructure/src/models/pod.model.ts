import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'A pod: placement and GPU requests from kube-state-metrics, power from Kepler' })
export class Pod {
  @Field(() => ID, { description: 'cluster/namespace/name' }) id!: string;
  @Field() name!: string;
  @Field() namespace!: string;
  @Field() cluster!: string;
  @Field(() => String, { nullable: true }) node?: string;
  @Field(() => String, { nullable: true }) uid?: string;
  @Field(() => String, { nullable: true, description: 'Pending, Running, Succeeded, Failed, Unknown' })
  phase?: string;
  @Field(() => Int, { description: 'Whole GPUs requested (nvidia.com/gpu), all containers' })
  gpuRequests!: number;
  @Field(() => Float, {
    nullable: true,
    description: 'CPU + DRAM + GPU power Kepler attributes to the pod, watts',
  })
  powerWatts?: number;
  @Field(() => Float, { nullable: true, description: 'CPU package power, watts' }) cpuWatts?: number;
  @Field(() => Float, { nullable: true, description: 'DRAM power, watts' }) dramWatts?: number;
  @Field(() => Float, { nullable: true, description: 'GPU power, watts' }) gpuWatts?: number;
  @Field(() => Float, {
    nullable: true,
    description: 'Kepler’s CPU + DRAM + GPU joule counters for the pod, joules',
  })
  energyJoules?: number;
  @Field(() => Date, { nullable: true }) observedAt?: Date;
}
