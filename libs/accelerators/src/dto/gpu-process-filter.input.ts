import { InputType } from '@nestjs/graphql';
import { FilterText } from '@kcloud/common';
import { DeviceTenantFilterInput } from './device-tenant-filter.input';

/** Exact-match filters on a process's GPU (cluster, node, tenant, UUID) and on the process's user. */
@InputType()
export class GpuProcessFilterInput extends DeviceTenantFilterInput {
  @FilterText({ id: true, description: 'GPU UUID (GPU-…)' }) gpuUuid?: string;
  @FilterText() user?: string;
}
