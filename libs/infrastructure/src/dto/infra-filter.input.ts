import { InputType } from '@nestjs/graphql';
import { ClusterLabelMatchInput, ClusterLabelsFilter } from '@kcloud/common';
import { FilterText } from '@kcloud/common';

/** Exact-match filters; values are escaped before they reach PromQL. */
@InputType()
export class NodeFilterInput {
  @FilterText() cluster?: string;
  @ClusterLabelsFilter() clusterLabels?: ClusterLabelMatchInput[];
  @FilterText({ description: 'node name' }) name?: string;
}

@InputType()
export class PodFilterInput {
  @FilterText() cluster?: string;
  @ClusterLabelsFilter() clusterLabels?: ClusterLabelMatchInput[];
  @FilterText() namespace?: string;
  @FilterText() node?: string;
  @FilterText({ description: 'pod name' }) name?: string;
}
