import { InputType } from '@nestjs/graphql';
import { ClusterSelectionFilterInput, FilterText } from '@kcloud/common';

/** Where a device is and who holds it: the filters GPUs and their processes share. */
@InputType({ isAbstract: true })
export abstract class DeviceTenantFilterInput extends ClusterSelectionFilterInput {
  @FilterText() node?: string;
  @FilterText() namespace?: string;
  @FilterText() pod?: string;
}
