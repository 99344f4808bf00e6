import { applyDecorators } from '@nestjs/common';
import { Field, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { FilterText } from './filter-text.decorator';

@InputType({
  description: 'A cluster label to match exactly (PROMETHEUS_CLUSTERS labels, as Cluster.labels lists them)',
})
export class ClusterLabelMatchInput {
  @Field() @IsString() @MaxLength(63) name!: string;
  @Field() @IsString() @MaxLength(256) value!: string;
}

/** The most labels one filter may match (each is a lookup in the cluster table, not a PromQL matcher). */
const MAX_FILTER_CLUSTER_LABELS = 20;

/**
 * Selects clusters by their PROMETHEUS_CLUSTERS labels: only clusters carrying every one of these labels with exactly
 * this value (with `cluster` too: that cluster, if it carries them). Resolved to cluster names before reading.
 */
export const ClusterLabelsFilter = (): PropertyDecorator =>
  applyDecorators(
    Field(() => [ClusterLabelMatchInput], {
      nullable: true,
      description:
        'Only clusters carrying every one of these labels with exactly this value (PROMETHEUS_CLUSTERS labels)',
    }),
    IsOptional(),
    ArrayMaxSize(MAX_FILTER_CLUSTER_LABELS),
    ValidateNested({ each: true }),
    Type(() => ClusterLabelMatchInput),
  );

/**
 * The cluster selection every tenant-scoped filter starts with (`cluster`, then `clusterLabels`): a filter input
 * extends it and adds its own fields after these two.
 */
@InputType({ isAbstract: true })
export abstract class ClusterSelectionFilterInput {
  @FilterText() cluster?: string;
  @ClusterLabelsFilter() clusterLabels?: ClusterLabelMatchInput[];
}
