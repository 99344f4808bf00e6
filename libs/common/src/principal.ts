import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { type TenantScope, UNRESTRICTED } from './tenant-scope';

export type Role = 'viewer' | 'partner' | 'admin';

/** Who is calling: set by the auth library on the HTTP request (`req.principal`) or the graphql-ws context. */
export interface Principal {
  readonly name: string;
  readonly role: Role;
  readonly scope: TenantScope;
}

interface WithPrincipal {
  principal?: Principal;
  req?: { principal?: Principal };
}

/** The caller of any HTTP, GraphQL or graphql-ws execution context, if authenticated. */
export function principalOf(ctx: ExecutionContext): Principal | undefined {
  if (ctx.getType<string>() === 'graphql') {
    const gql = GqlExecutionContext.create(ctx).getContext<WithPrincipal>();
    return gql.principal ?? gql.req?.principal;
  }
  if (ctx.getType() === 'http') return ctx.switchToHttp().getRequest<WithPrincipal>().principal;
  return undefined;
}

/** The GraphQL context's principal (also for subscription filters, which see the context, not an ExecutionContext). */
export function principalOfContext(context: WithPrincipal | undefined): Principal | undefined {
  return context?.principal ?? context?.req?.principal;
}

/**
 * Resolver/controller parameter: the caller's tenant scope. Services take it as their last argument and enforce it
 * themselves, so every path (query, nested field, subscription, export) obeys the same rule.
 */
export const CurrentScope = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): TenantScope => principalOf(ctx)?.scope ?? UNRESTRICTED,
);

export const CurrentPrincipal = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Principal | undefined => principalOf(ctx),
);
