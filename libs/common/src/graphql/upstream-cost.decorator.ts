import { Extensions } from '@nestjs/graphql';

/** The field extension the query-cost estimator reads (libs/auth query-limits). */
export const UPSTREAM_EXTENSION = 'upstream';

export interface UpstreamSpec {
  /** The argument holding a TimeRangeInput: the read then costs by the points it spans (range / step). */
  readonly rangeArg?: string;
}

/**
 * Marks a field whose resolver queries Prometheus (one request per cluster per occurrence, since field resolvers
 * batch through DataLoaders): each occurrence, aliases included, costs upstream units that count against the query's
 * complexity and the caller's per-minute rate limit. `@UpstreamRead({ rangeArg: 'range' })` for range reads.
 */
export const UpstreamRead = (spec: UpstreamSpec = {}): MethodDecorator & PropertyDecorator & ClassDecorator =>
  Extensions({ [UPSTREAM_EXTENSION]: spec });
