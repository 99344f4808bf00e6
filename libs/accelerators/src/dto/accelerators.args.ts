import { ArgsType } from '@nestjs/graphql';
import { FilteredPageArgs } from '@kcloud/common';
import { AcceleratorFilterInput } from './accelerator-filter.input';

@ArgsType()
export class AcceleratorsArgs extends FilteredPageArgs(AcceleratorFilterInput) {}
