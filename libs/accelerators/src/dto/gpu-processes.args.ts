import { ArgsType } from '@nestjs/graphql';
import { FilteredPageArgs } from '@kcloud/common';
import { GpuProcessFilterInput } from './gpu-process-filter.input';

@ArgsType()
export class GpuProcessesArgs extends FilteredPageArgs(GpuProcessFilterInput) {}
