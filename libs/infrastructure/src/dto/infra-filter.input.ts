import { InputType } from '@nestjs/graphql';
import { FilterText } from '@kcloud/common';

/** Exact-match filters; values are escaped before they reach PromQL. */
@InputType()
export class NodeFilterInput {
  @FilterText() cluster?: string;
  @FilterText({ description: 'node name' }) name?: string;
}

@InputType()
export class PodFilterInput {
  @FilterText() cluster?: string;
  @FilterText() namespace?: string;
  @FilterText() node?: string;
  @FilterText({ description: 'pod name' }) name?: string;
}
