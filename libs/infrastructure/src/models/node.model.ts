import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { NodePowerBreakdown, NodePowerSource } from './node-power.model';
import { ResourceCount } from './resource-count.model';

@ObjectType({
  description: 'A Kubernetes node: capacity from kube-state-metrics, power from Kepler and the BMC',
})
export class Node {
  @Field(() => ID, { description: 'cluster/name' }) id!: string;
  @Field() name!: string;
  @Field() cluster!: string;
  @Field(() => String, { nullable: true }) internalIp?: string;
  @Field(() => String, { nullable: true }) kubeletVersion?: string;
  @Field(() => [ResourceCount]) capacity!: ResourceCount[];
  @Field(() => [ResourceCount]) allocatable!: ResourceCount[];
  @Field(() => Int, { description: 'GPUs the device plugin advertises (whole GPUs and MIG slices)' })
  gpuCapacity!: number;
  @Field(() => Int, { description: 'GPUs schedulable now (healthy devices)' }) gpuAllocatable!: number;
  @Field(() => Int, { description: 'NPU cards the device plugins advertise' }) npuCapacity!: number;
  @Field(() => Float, { nullable: true, description: 'CPU utilisation, 0–100 (kepler_node_cpu_usage_ratio)' })
  cpuUtilizationPercent?: number;
  /** Resolved from node_exporter by NodeHostResolver (host/), which declares the field. */
  memoryUtilizationPercent?: number;
  @Field(() => Float, { nullable: true, description: 'Whole-node power, watts (see powerSource)' })
  powerWatts?: number;
  @Field(() => NodePowerSource) powerSource!: NodePowerSource;
  @Field(() => NodePowerBreakdown) power!: NodePowerBreakdown;
  @Field(() => Float, {
    nullable: true,
    description:
      'Kepler’s CPU package + DRAM + GPU joule counters (energy since Kepler started counting), joules',
  })
  energyJoules?: number;
  @Field(() => Date, { nullable: true, description: 'When the power values were read' }) observedAt?: Date;
}
