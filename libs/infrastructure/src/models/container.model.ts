import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'A container with the power Kepler attributes to it' })
export class Container {
  @Field(() => ID, { description: 'cluster/namespace/pod/name' }) id!: string;
  @Field() name!: string;
  @Field() pod!: string;
  @Field() namespace!: string;
  @Field() cluster!: string;
  @Field(() => String, { nullable: true }) node?: string;
  @Field(() => String, { nullable: true, description: 'Runtime container id (Kepler container_id)' })
  containerId?: string;
  @Field(() => Int, { description: 'Whole GPUs requested (nvidia.com/gpu)' }) gpuRequests!: number;
  @Field(() => Float, { nullable: true, description: 'CPU + DRAM + GPU power, watts' }) powerWatts?: number;
  @Field(() => Float, { nullable: true }) cpuWatts?: number;
  @Field(() => Float, { nullable: true }) dramWatts?: number;
  @Field(() => Float, { nullable: true }) gpuWatts?: number;
  @Field(() => Float, { nullable: true, description: 'joules' }) energyJoules?: number;
}
