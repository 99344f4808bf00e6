import { Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum TopologyDeviceKind {
  GPU = 'GPU',
  NPU = 'NPU',
}
registerEnumType(TopologyDeviceKind, { name: 'TopologyDeviceKind' });

@ObjectType()
export class TopologyPodRef {
  @Field() name!: string;
  @Field() namespace!: string;
}

@ObjectType({ description: 'An accelerator on a node and the pod holding it' })
export class TopologyDevice {
  @Field({ description: 'GPU key (UUID or UUID/MIG instance) or NPU UUID' }) id!: string;
  @Field(() => TopologyDeviceKind) kind!: TopologyDeviceKind;
  @Field() model!: string;
  @Field(() => Int) index!: number;
  @Field(() => TopologyPodRef, { nullable: true }) pod?: TopologyPodRef;
}

@ObjectType()
export class TopologyPod {
  @Field() name!: string;
  @Field() namespace!: string;
  @Field(() => String, { nullable: true }) phase?: string;
  @Field(() => [String], { description: 'ids of the devices the pod holds' }) deviceIds!: string[];
}

@ObjectType()
export class TopologyNode {
  @Field() name!: string;
  @Field(() => [TopologyDevice]) devices!: TopologyDevice[];
  @Field(() => [TopologyPod]) pods!: TopologyPod[];
}

@ObjectType({ description: 'cluster → nodes → devices → pods' })
export class ClusterTopology {
  @Field() cluster!: string;
  @Field(() => [TopologyNode]) nodes!: TopologyNode[];
}
