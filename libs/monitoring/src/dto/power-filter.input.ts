import { InputType } from '@nestjs/graphql';
import { ClusterSelectionFilterInput, FilterText } from '@kcloud/common';

@InputType()
export class PowerFilterInput extends ClusterSelectionFilterInput {
  @FilterText() node?: string;
  @FilterText({ description: 'Only power attributed to this namespace’s pods' }) namespace?: string;
}
