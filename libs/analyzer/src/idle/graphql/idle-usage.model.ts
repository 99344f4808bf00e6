import { Field, Float, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ClusterLabelMatchInput, ClusterLabelsFilter, FilterTextList } from '@kcloud/common';
import { MAX_FILTER_LIST } from '../../dto/gpu-score-filter.input';

export enum IdleGroupByEnum {
  NAMESPACE = 'NAMESPACE',
  POD = 'POD',
  NODE = 'NODE',
  CLUSTER = 'CLUSTER',
  MODEL = 'MODEL',
}
registerEnumType(IdleGroupByEnum, {
  name: 'IdleGroupBy',
  description: 'NAMESPACE, POD (namespace/pod), NODE (cluster/node), CLUSTER or MODEL',
});

@ObjectType({
  description:
    'Allocated and idle (IDLE_HELD or IDLE_ALLOCATED) GPU time, idle energy and its cost of one group over a range; a MIG ' +
    'instance counts its share of the GPU, a MIG board’s energy is split over its instances',
})
export class IdleUsageRow {
  @Field({ description: 'The group: namespace, namespace/pod, cluster/node, cluster or model' }) key!: string;
  @Field(() => Float) allocatedGpuHours!: number;
  @Field(() => Float) idleGpuHours!: number;
  @Field(() => Float, { description: 'Increase of DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION while idle' })
  idleEnergyKWh!: number;
  @Field(() => Float, {
    description: 'idleGpuHours × IDLE_PRICE_PER_GPU_HOUR of the model + idleEnergyKWh × IDLE_PRICE_PER_KWH',
  })
  idleCost!: number;
  @Field({ description: 'COST_CURRENCY' }) currency!: string;
}

@InputType()
export class IdleUsageFilterInput {
  @FilterTextList({ maxItems: MAX_FILTER_LIST }) clusters?: string[];
  @ClusterLabelsFilter() clusterLabels?: ClusterLabelMatchInput[];
  @FilterTextList({ maxItems: MAX_FILTER_LIST }) namespaces?: string[];
  @FilterTextList({ maxItems: MAX_FILTER_LIST }) nodes?: string[];
  @FilterTextList({ maxItems: MAX_FILTER_LIST }) models?: string[];
}
