import { Resolver } from '@nestjs/graphql';
import type { PartialErrorsContext, TenantScope } from '@kcloud/common';
import { Pod } from '../models/pod.model';
import { defineUpstreamFields } from '../request/upstream-fields';
import { POD_USAGE_FIELDS, type UsageField } from './container-usage.fields';
import { ContainerUsageLoaders, podKeyOf, podUsageOf } from './container-usage.loaders';

/** Pod CPU and memory from cAdvisor, summed over its containers (batched across the pods of a response). */
@Resolver(() => Pod)
export class PodUsageResolver {
  constructor(private readonly loaders: ContainerUsageLoaders) {}

  async usage(
    pod: Pod,
    reading: UsageField['name'],
    ctx: PartialErrorsContext,
    scope: TenantScope,
  ): Promise<number | null> {
    const pods = await this.loaders.for(ctx, scope).load(pod.cluster);
    return podUsageOf(pods.get(podKeyOf(pod.namespace, pod.name)), reading) ?? null;
  }
}

defineUpstreamFields<PodUsageResolver, Pod, UsageField>(
  PodUsageResolver,
  POD_USAGE_FIELDS,
  function (field, pod, ctx, scope) {
    return this.usage(pod, field.name, ctx, scope);
  },
);
