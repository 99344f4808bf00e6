import { Field, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ArrayMaxSize, IsEnum, IsOptional } from 'class-validator';
import {
  ClusterLabelMatchInput,
  ClusterLabelsFilter,
  ConnectionType,
  FilterText,
  FilterTextList,
} from '@kcloud/common';
import { GpuHistoryMetric, GpuHistoryPoint, NpuHistoryMetric, NpuHistoryPoint } from '@kcloud/accelerators';
import { NodeHistoryMetric, NodeHistoryPoint } from '../history/node-history.model';

export enum DeviceHistoryKind {
  GPU = 'GPU',
  NPU = 'NPU',
  NODE = 'NODE',
}
registerEnumType(DeviceHistoryKind, {
  name: 'DeviceHistoryKind',
  description: 'Which devices deviceHistory lists',
});

/** The most UUIDs one filter may list (a filter is not a bulk export). */
export const MAX_FILTER_UUIDS = 500;

@InputType({
  description: 'Which devices deviceHistory answers; exact matches, escaped before they reach PromQL',
})
export class DeviceHistoryFilterInput {
  @Field(() => [DeviceHistoryKind], {
    nullable: true,
    description:
      'Device kinds to list (default GPU and NPU; NODE is node-wide: FORBIDDEN for a namespace-scoped key)',
  })
  @IsOptional()
  @IsEnum(DeviceHistoryKind, { each: true })
  @ArrayMaxSize(3)
  kinds?: DeviceHistoryKind[];

  @FilterText() cluster?: string;
  @ClusterLabelsFilter() clusterLabels?: ClusterLabelMatchInput[];
  @FilterText({ description: 'node name' }) node?: string;
  @FilterText({ description: 'GPUs and NPUs held by pods of this namespace (nodes: ignored)' })
  namespace?: string;
  @FilterText({ description: 'GPU / NPU model (nodes: ignored)' }) model?: string;

  @FilterTextList({ maxItems: MAX_FILTER_UUIDS, description: 'Only these GPU or NPU UUIDs (nodes: ignored)' })
  uuids?: string[];
}

@InputType({ description: 'The readings to fill per kind (default all of that kind); others stay null' })
export class DeviceHistoryMetricsInput {
  @Field(() => [GpuHistoryMetric], { nullable: true })
  @IsOptional()
  @IsEnum(GpuHistoryMetric, { each: true })
  gpu?: GpuHistoryMetric[];

  @Field(() => [NpuHistoryMetric], { nullable: true })
  @IsOptional()
  @IsEnum(NpuHistoryMetric, { each: true })
  npu?: NpuHistoryMetric[];

  @Field(() => [NodeHistoryMetric], { nullable: true })
  @IsOptional()
  @IsEnum(NodeHistoryMetric, { each: true })
  node?: NodeHistoryMetric[];
}

@ObjectType({
  description:
    "One device's series over the range: identity, and the points of its kind (gpuPoints, npuPoints or nodePoints; " +
    'the others null). Every step timestamp has a point, its readings null where none was reported',
})
export class DeviceSeries {
  @Field(() => DeviceHistoryKind) kind!: DeviceHistoryKind;
  @Field(() => ID, { description: 'GPU: gpuKey (UUID or UUID/migInstanceId); NPU: UUID; node: cluster/name' })
  id!: string;
  @Field() cluster!: string;
  @Field({ description: 'The node the device is on (for a node: its name)' }) node!: string;
  @Field(() => String, { nullable: true }) uuid?: string;
  @Field(() => String, { nullable: true }) model?: string;
  @Field(() => String, { nullable: true, description: 'The namespace of the pod holding the device now' })
  namespace?: string;
  @Field(() => [GpuHistoryPoint], { nullable: true }) gpuPoints?: GpuHistoryPoint[];
  @Field(() => [NpuHistoryPoint], { nullable: true }) npuPoints?: NpuHistoryPoint[];
  @Field(() => [NodeHistoryPoint], { nullable: true }) nodePoints?: NodeHistoryPoint[];
}

@ObjectType()
export class DeviceSeriesConnection extends ConnectionType(DeviceSeries) {}
