import { Args, Query, Resolver } from '@nestjs/graphql';
import { CurrentScope, type TenantScope, TimeRangeInput, validatedInput } from '@kcloud/common';
import { ClusterLabelResolution } from '@kcloud/metrics-source';
import { IdleUsageService } from '../idle-usage.service';
import { IdleGroupByEnum, IdleUsageFilterInput, IdleUsageRow } from './idle-usage.model';

@Resolver(() => IdleUsageRow)
export class IdleUsageResolver {
  constructor(
    private readonly idle: IdleUsageService,
    private readonly labels: ClusterLabelResolution,
  ) {}

  @Query(() => [IdleUsageRow], {
    description:
      'Idle GPU-hours, energy and cost per group over any range the idle ledger covers (it survives restarts and ' +
      'is shared by the replicas); highest idle cost first. Within the caller’s scope.',
  })
  async idleUsage(
    @Args('range', { type: () => TimeRangeInput }) range: TimeRangeInput,
    @Args('groupBy', { type: () => IdleGroupByEnum, defaultValue: IdleGroupByEnum.NAMESPACE })
    groupBy: IdleGroupByEnum,
    // Validated explicitly: a nullable argument's design type is Object, which the global pipe does not check.
    @Args(
      'filter',
      { type: () => IdleUsageFilterInput, nullable: true },
      validatedInput(IdleUsageFilterInput),
    )
    filter: IdleUsageFilterInput | null,
    @CurrentScope() scope: TenantScope,
  ): Promise<IdleUsageRow[]> {
    const result = await this.idle.usage(
      range.from,
      range.to,
      groupBy,
      this.labels.resolve(filter ?? {}),
      scope,
    );
    return [...result.rows];
  }
}
