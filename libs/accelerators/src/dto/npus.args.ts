import { ArgsType } from '@nestjs/graphql';
import { FilteredPageArgs } from '@kcloud/common';
import { NpuFilterInput } from './npu-filter.input';

@ArgsType()
export class NpusArgs extends FilteredPageArgs(NpuFilterInput) {}
