import { Context, Float, Parent, ResolveField } from '@nestjs/graphql';
import {
  CurrentScope,
  defineResolverMethod,
  type PartialErrorsContext,
  type TenantScope,
  UpstreamRead,
} from '@kcloud/common';

/** A nullable Float field read from an exporter through a per-request loader: its GraphQL name and description. */
export interface UpstreamField {
  readonly name: string;
  readonly description: string;
}

/** The one body every row of a table shares: the row, then what a hand-written field resolver would receive. */
export type UpstreamFieldRead<R, P, F extends UpstreamField> = (
  this: R,
  field: F,
  parent: P,
  context: PartialErrorsContext,
  scope: TenantScope,
) => Promise<number | null>;

/**
 * One field resolver per row, declared with the decorators a hand-written method would carry
 * (`@UpstreamRead() @ResolveField(() => Float, { nullable: true, description })` over
 * `(@Parent(), @Context(), @CurrentScope())`): fields that differ only in name, description and reading share one
 * body instead of one copy each. The schema is the same as with hand-written methods.
 */
export function defineUpstreamFields<R, P, F extends UpstreamField>(
  resolver: abstract new (...args: never[]) => R,
  fields: readonly F[],
  read: UpstreamFieldRead<R, P, F>,
): void {
  for (const field of fields)
    defineResolverMethod(
      resolver,
      field.name,
      function (this: R, parent: P, context: PartialErrorsContext, scope: TenantScope) {
        return read.call(this, field, parent, context, scope);
      },
      {
        method: [
          UpstreamRead(),
          ResolveField(() => Float, { nullable: true, description: field.description }),
        ],
        params: [Parent(), Context(), CurrentScope()],
      },
    );
}
