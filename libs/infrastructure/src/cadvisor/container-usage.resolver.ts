import { Resolver } from '@nestjs/graphql';
import type { PartialErrorsContext, TenantScope } from '@kcloud/common';
import type { ContainerUsageSample } from '@kcloud/metrics-source';
import { Container } from '../models/container.model';
import { defineUpstreamFields } from '../request/upstream-fields';
import { CONTAINER_USAGE_FIELDS, type UsageField } from './container-usage.fields';
import { ContainerUsageLoaders, podKeyOf } from './container-usage.loaders';

/** Container CPU and memory from cAdvisor (batched across the containers of a response). */
@Resolver(() => Container)
export class ContainerUsageResolver {
  constructor(private readonly loaders: ContainerUsageLoaders) {}

  async usage(
    c: Container,
    ctx: PartialErrorsContext,
    scope: TenantScope,
  ): Promise<ContainerUsageSample | undefined> {
    const pods = await this.loaders.for(ctx, scope).load(c.cluster);
    return pods.get(podKeyOf(c.namespace, c.pod))?.find((u) => u.container === c.name);
  }
}

defineUpstreamFields<ContainerUsageResolver, Container, UsageField>(
  ContainerUsageResolver,
  CONTAINER_USAGE_FIELDS,
  async function (field, container, ctx, scope) {
    return (await this.usage(container, ctx, scope))?.[field.name] ?? null;
  },
);
