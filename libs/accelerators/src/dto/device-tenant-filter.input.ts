import { applyDecorators } from '@nestjs/common';
import { Field, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsOptional, ValidateNested } from 'class-validator';
import { FilterText } from '@kcloud/common';
import { ClusterLabelMatchInput } from './cluster-label-match.input';

/** The most labels one filter may match (each is a lookup in the cluster table, not a PromQL matcher). */
export const MAX_CLUSTER_LABELS = 20;

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
    ArrayMaxSize(MAX_CLUSTER_LABELS),
    ValidateNested({ each: true }),
    Type(() => ClusterLabelMatchInput),
  );

/** Where a device is and who holds it: the filters GPUs and their processes share. */
@InputType({ isAbstract: true })
export abstract class DeviceTenantFilterInput {
  @FilterText() cluster?: string;
  @ClusterLabelsFilter() clusterLabels?: ClusterLabelMatchInput[];
  @FilterText() node?: string;
  @FilterText() namespace?: string;
  @FilterText() pod?: string;
}
