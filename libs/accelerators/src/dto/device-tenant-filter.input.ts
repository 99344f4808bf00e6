import { InputType } from '@nestjs/graphql';
import { ClusterLabelMatchInput, ClusterLabelsFilter, FilterText } from '@kcloud/common';

/** Where a device is and who holds it: the filters GPUs and their processes share. */
@InputType({ isAbstract: true })
export abstract class DeviceTenantFilterInput {
  @FilterText() cluster?: string;
  @ClusterLabelsFilter() clusterLabels?: ClusterLabelMatchInput[];
  @FilterText() node?: string;
  @FilterText() namespace?: string;
  @FilterText() pod?: string;
}
