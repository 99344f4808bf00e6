import { InputType } from '@nestjs/graphql';
import { ClusterSelectionFilterInput, FilterText } from '@kcloud/common';

/** Exact-match filters; values are escaped before they reach PromQL. */
@InputType()
export class NodeFilterInput extends ClusterSelectionFilterInput {
  @FilterText({ description: 'node name' }) name?: string;
}

@InputType()
export class PodFilterInput extends ClusterSelectionFilterInput {
  @FilterText() namespace?: string;
  @FilterText() node?: string;
  @FilterText({ description: 'pod name' }) name?: string;
}
