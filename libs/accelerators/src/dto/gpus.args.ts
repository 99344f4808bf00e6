import { ArgsType } from '@nestjs/graphql';
import { FilteredPageArgs } from '@kcloud/common';
import { GpuFilterInput } from './gpu-filter.input';

@ArgsType()
export class GpusArgs extends FilteredPageArgs(GpuFilterInput) {}
