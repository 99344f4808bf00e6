import { InputType } from '@nestjs/graphql';
import { FilterText } from '@kcloud/common';
import { DeviceTenantFilterInput } from './device-tenant-filter.input';

/** Exact-match filters; any printable value is accepted and escaped before it reaches PromQL. */
@InputType()
export class GpuFilterInput extends DeviceTenantFilterInput {
  @FilterText() model?: string;
  @FilterText({ id: true }) uuid?: string;
}
