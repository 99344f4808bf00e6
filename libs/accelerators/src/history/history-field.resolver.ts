import type { Type } from '@nestjs/common';
import { Args, Context, Int, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import {
  CurrentScope,
  type PartialErrorsContext,
  type TenantScope,
  TimeRangeInput,
  UpstreamRead,
} from '@kcloud/common';
import { historyRange, type HistoryRange } from './history-range';

/** What differs between the device kinds' `history` fields: the parent type, the point type, the metric enum. */
export interface HistoryFieldSpec<P, M> {
  readonly parent: () => Type<P>;
  readonly point: Type<unknown>;
  /** The kind's metrics enum (registered with registerEnumType). */
  readonly metric: object;
  readonly description: string;
  /** Phantom: types the `metrics` argument. */
  readonly metricValue?: M;
}

/** One `history` field's arguments, checked: the range with its step, the metrics asked, where errors and scope go. */
export interface HistoryFieldRequest<M> {
  readonly range: HistoryRange;
  readonly metrics: readonly M[] | undefined;
  readonly ctx: PartialErrorsContext;
  readonly scope: TenantScope;
}

/**
 * The `history(range, stepSeconds, metrics)` field of a device kind, declared once: the range is checked and its step
 * chosen here, the kind's resolver only loads (through its batched HistoryLoaders). Gpu, Npu and Node extend it.
 */
export function HistoryFieldResolver<P, M>(spec: HistoryFieldSpec<P, M>) {
  @Resolver(spec.parent, { isAbstract: true })
  abstract class HistoryField {
    /** The device's points for the checked range and the metrics asked (all when none). */
    abstract load(device: P, request: HistoryFieldRequest<M>): Promise<unknown[]>;

    @UpstreamRead({ rangeArg: 'range' })
    @ResolveField('history', () => [spec.point], { description: spec.description })
    history(
      @Parent() device: P,
      @Args('range', { type: () => TimeRangeInput }) range: TimeRangeInput,
      @Args('stepSeconds', { type: () => Int, nullable: true }) stepSeconds: number | undefined,
      @Args('metrics', { type: () => [spec.metric], nullable: true }) metrics: M[] | undefined,
      @Context() ctx: PartialErrorsContext,
      @CurrentScope() scope: TenantScope,
    ): Promise<unknown[]> {
      const checked = historyRange(range.from, range.to, stepSeconds ?? range.stepSeconds);
      return this.load(device, { range: checked, metrics, ctx, scope });
    }
  }
  return HistoryField;
}
