import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { SSE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { IncomingMessage } from 'node:http';
import type { Request, Response } from 'express';
import type { GraphQLResolveInfo } from 'graphql';
import {
  DomainError,
  ErrorCode,
  IS_PUBLIC_KEY,
  METRICS_ENDPOINT_KEY,
  type Principal,
  principalOf,
  type Role,
  ROLES_KEY,
} from '@kcloud/common';
import { type Caller, defaultRoles, isAllowed, openModeRefusal, type Operation } from './access-policy';
import { RequestAdmission } from './admission.service';
import { AUTH_SETTINGS, type AuthSettings } from './auth-settings';
import { WWW_AUTHENTICATE } from './graphql/graphql-errors';
import { checkMetricsToken } from './metrics-token';
import { rateLimitMessage } from './rate-limiter.service';

/**
 * The global guard. REST: authenticates (Bearer / X-API-Key / Basic), sets `req.principal`, applies the role rules
 * and the per-key rate limit; `@Public()` routes (probes) are open and the `@MetricsEndpoint()` route checks its own
 * token. Decided by the route that matched, never by the path string: Express routes `/METRICS` and `/metrics/` to
 * the same handler, so they get the same answer. GraphQL (HTTP and graphql-ws): the caller was authenticated and
 * rate-limited when the context was built; here each root field's role rule is applied.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly admission: RequestAdmission,
    @Inject(AUTH_SETTINGS) private readonly settings: AuthSettings,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const type = ctx.getType<string>();
    if (type === 'graphql') return this.graphql(ctx);
    if (type === 'http') return this.http(ctx);
    return true;
  }

  private graphql(ctx: ExecutionContext): boolean {
    const info = GqlExecutionContext.create(ctx).getInfo<GraphQLResolveInfo>();
    const principal = principalOf(ctx);
    if (!principal) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'not authenticated');
    const context = GqlExecutionContext.create(ctx).getContext<GraphqlContext>();
    const op: Operation = { transport: 'graphql', type: info.operation.operation };
    // Over graphql-ws the context may carry a `req` without headers; the upgrade request is the real one.
    const request = [context.req, context.extra?.request].find((r) => r?.headers !== undefined);
    this.authorize(ctx, principal, op, info.fieldName, callerOf(request));
    return true;
  }

  private async http(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<Request & { principal?: Principal }>();
    const res = ctx.switchToHttp().getResponse<Response>();
    if (this.marked(ctx, IS_PUBLIC_KEY)) return true;
    const metrics = this.marked(ctx, METRICS_ENDPOINT_KEY);
    if (metrics && this.settings.metricsAccess === 'token')
      return checkMetricsToken(this.settings, req.headers.authorization);
    if (metrics && this.settings.metricsAccess === 'open') return true;
    const admitted = await this.admission.admit(req.headers);
    const rate = 'rate' in admitted ? admitted.rate : undefined;
    if (rate) {
      res.setHeader('X-RateLimit-Limit', rate.limit);
      res.setHeader('X-RateLimit-Remaining', rate.remaining);
    }
    if (!admitted.ok && admitted.refusal === 'unauthenticated') {
      res.setHeader('WWW-Authenticate', WWW_AUTHENTICATE);
      throw new DomainError(ErrorCode.UNAUTHENTICATED, metrics ? METRICS_ADMIN_ONLY : admitted.message);
    }
    if (!admitted.ok) {
      res.setHeader('Retry-After', admitted.rate.retryAfterSeconds);
      throw new DomainError(ErrorCode.RATE_LIMITED, rateLimitMessage(admitted.rate), {
        retryAfterSeconds: admitted.rate.retryAfterSeconds,
      });
    }
    req.principal = admitted.principal;
    const stream = this.reflector.get<boolean | undefined>(SSE_METADATA, ctx.getHandler()) === true;
    const op: Operation = { transport: 'http', method: req.method, stream };
    // /metrics without a token in production: every tenant's series, so only an unscoped admin reads them.
    const required = metrics ? (['admin'] as const) : undefined;
    this.authorize(ctx, admitted.principal, op, `${req.method} ${req.path}`, callerOf(req), required);
    return true;
  }

  private authorize(
    ctx: ExecutionContext,
    principal: Principal,
    op: Operation,
    what: string,
    caller: Caller,
    override?: readonly Role[],
  ): void {
    const required =
      override ??
      this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [ctx.getHandler(), ctx.getClass()]) ??
      defaultRoles(op);
    if (this.settings.mode === 'open') {
      const refusal = openModeRefusal(caller, !isAllowed('partner', required), this.settings.corsOrigins);
      if (refusal) throw new DomainError(ErrorCode.FORBIDDEN, refusal);
    }
    if (isAllowed(principal.role, required)) return;
    const action = op.transport === 'graphql' ? `${op.type} '${what}'` : what;
    throw new DomainError(
      ErrorCode.FORBIDDEN,
      `role '${principal.role}' may not run ${action}; it needs ${required.join(' or ')}`,
      { requiredRoles: [...required] },
    );
  }

  private marked(ctx: ExecutionContext, key: string): boolean {
    return this.reflector.getAllAndOverride<boolean>(key, [ctx.getHandler(), ctx.getClass()]) === true;
  }
}

/** The HTTP request of a GraphQL context: `req` over HTTP, the upgrade request over graphql-ws. */
interface GraphqlContext {
  readonly req?: Partial<IncomingMessage>;
  readonly extra?: { readonly request?: Partial<IncomingMessage> };
}

function callerOf(req: Partial<IncomingMessage> | undefined): Caller {
  const header = (name: string): string | undefined => {
    const value = req?.headers?.[name];
    return Array.isArray(value) ? value[0] : value;
  };
  return {
    address: req?.socket?.remoteAddress,
    origin: header('origin'),
    host: header('host'),
    forwarded: header('forwarded') !== undefined || header('x-forwarded-for') !== undefined,
  };
}

const METRICS_ADMIN_ONLY =
  '/metrics needs an admin credential: no METRICS_TOKEN is set (set it and send it as the bearer from Prometheus, ' +
  'or METRICS_PUBLIC=true to serve it to anyone)';
