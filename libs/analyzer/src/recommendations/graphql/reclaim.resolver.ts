import { Args, Float, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import {
  badInput,
  CurrentPrincipal,
  CurrentScope,
  MAX_PAGE_SIZE,
  type Principal,
  Roles,
  type TenantScope,
  validatedInput,
} from '@kcloud/common';
import { ClusterLabelResolution } from '@kcloud/metrics-source';
import { ReclaimService } from '../reclaim.service';
import { ReclaimFilterInput, ReclaimRecommendation } from './reclaim.model';

// The same bound as every other list (a page of recommendations is small rows, ranked in memory).
const MAX_FIRST = MAX_PAGE_SIZE;

@Resolver(() => ReclaimRecommendation)
export class ReclaimResolver {
  constructor(
    private readonly reclaim: ReclaimService,
    private readonly labels: ClusterLabelResolution,
  ) {}

  @Query(() => [ReclaimRecommendation], {
    description: 'Wasted GPUs the caller may see, highest idle cost so far first; snoozed ones are left out',
  })
  async reclaimRecommendations(
    @Args('filter', { type: () => ReclaimFilterInput, nullable: true }, validatedInput(ReclaimFilterInput))
    filter: ReclaimFilterInput | null,
    @Args('first', { type: () => Int, defaultValue: 20 }) first: number,
    @CurrentScope() scope: TenantScope,
  ): Promise<ReclaimRecommendation[]> {
    if (first < 1 || first > MAX_FIRST) throw badInput('first', `first must be within 1–${MAX_FIRST}`);
    return (await this.reclaim.list(this.labels.resolve(filter ?? {}), scope)).slice(0, first);
  }

  @Roles('partner')
  @Mutation(() => [ReclaimRecommendation], {
    description:
      'Snoozes the recommendation of a GPU for `hours` (one per pod on a time-sliced GPU); a partner within its ' +
      'scope, an admin anywhere. Stored for every replica.',
  })
  acknowledgeRecommendation(
    @Args('gpuId', { type: () => ID }) gpuId: string,
    @Args('hours', { type: () => Float }) hours: number,
    @Args('note', { type: () => String, nullable: true }) note: string | null,
    @CurrentPrincipal() who: Principal | undefined,
    @CurrentScope() scope: TenantScope,
  ): Promise<ReclaimRecommendation[]> {
    // Open mode (no keys configured) has no principal; the scope is then unrestricted anyway.
    return this.reclaim.acknowledge(gpuId, hours, note ?? undefined, {
      name: who?.name ?? 'anonymous',
      scope,
    });
  }
}
