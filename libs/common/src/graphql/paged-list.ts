import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { type GraphQLResolveInfo, responsePathAsArray } from 'graphql';
import type { ClusterFailure, PartialResult } from '../errors/domain-error';
import { type Connection, pageOf } from './pagination';
import type { PageArgs } from './page.args';
import { type PartialErrorsContext, reportClusterFailures } from './partial-errors';

/**
 * A resolver's field as the client asked for it: the request's context (where partial errors collect) and the
 * field's response path — its alias if the client gave one, with list indices for nested fields — so an error
 * names the key the client will look under, not the schema's field name.
 */
export interface ResponseField {
  readonly context: PartialErrorsContext;
  readonly path: readonly (string | number)[];
}

export const responseFieldOf = (context: PartialErrorsContext, info: GraphQLResolveInfo): ResponseField => ({
  context,
  path: responsePathAsArray(info.path),
});

/** Resolver parameter: this field's `ResponseField` (replaces `@Context()` where the context only collects errors). */
export const CurrentField = createParamDecorator((_: unknown, ctx: ExecutionContext): ResponseField => {
  const gql = GqlExecutionContext.create(ctx);
  return responseFieldOf(gql.getContext<PartialErrorsContext>(), gql.getInfo<GraphQLResolveInfo>());
});

/** Records the clusters that failed this field (CLUSTER_UNAVAILABLE…) at its response path. */
export function reportFailuresAt(field: ResponseField, failures: readonly ClusterFailure[]): void {
  reportClusterFailures(field.context, failures, field.path);
}

/** A plain list field over a cluster fan-out: the failures reported at the field, the rows returned. */
export function fullList<T>(field: ResponseField, { items, failures }: PartialResult<T>): T[] {
  reportFailuresAt(field, failures);
  return [...items];
}

/**
 * A paged list field over a cluster fan-out: the failures reported at the field, then one page of the rows (only
 * the page's rows go through `map`).
 */
export function pagedList<T>(field: ResponseField, result: PartialResult<T>, page: PageArgs): Connection<T>;
export function pagedList<T, U>(
  field: ResponseField,
  result: PartialResult<T>,
  page: PageArgs,
  map: (item: T) => U,
): Connection<U>;
export function pagedList<T, U>(
  field: ResponseField,
  { items, failures }: PartialResult<T>,
  { first, after }: PageArgs,
  map?: (item: T) => U,
): Connection<T | U> {
  reportFailuresAt(field, failures);
  return map ? pageOf(items, first, after, map) : pageOf(items, first, after, (item) => item);
}
