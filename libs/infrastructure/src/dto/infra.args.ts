import { ArgsType } from '@nestjs/graphql';
import { FilteredPageArgs } from '@kcloud/common';
import { NodeFilterInput, PodFilterInput } from './infra-filter.input';

@ArgsType()
export class NodesArgs extends FilteredPageArgs(NodeFilterInput) {}

@ArgsType()
export class PodsArgs extends FilteredPageArgs(PodFilterInput) {}
