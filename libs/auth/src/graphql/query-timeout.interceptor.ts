import {
  type CallHandler,
  type ExecutionContext,
  Inject,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { type Observable, throwError, timeout } from 'rxjs';
import { DomainError, ErrorCode, withUpstreamSignal } from '@kcloud/common';
import { AUTH_SETTINGS, type AuthSettings } from '../auth-settings';

/**
 * Bounds every GraphQL query and mutation root field by QUERY_TIMEOUT_MS. Subscriptions and REST streams (exports,
 * SSE) are long-lived by design and are left alone; Prometheus calls keep their own per-cluster timeouts.
 *
 * The field's work runs with an ambient upstream signal (AsyncLocalStorage): when the field times out, the signal
 * aborts the Prometheus requests still open for it, so they do not keep holding keep-alive sockets. Shared cache
 * loads only end when all their callers are gone (CacheService).
 */
@Injectable()
export class QueryTimeoutInterceptor implements NestInterceptor {
  constructor(@Inject(AUTH_SETTINGS) private readonly settings: AuthSettings) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType<string>() !== 'graphql') return next.handle();
    const info = GqlExecutionContext.create(ctx).getInfo<GraphQLResolveInfo>();
    if (info.operation.operation === 'subscription') return next.handle();
    const ms = this.settings.queryTimeoutMs;
    const upstream = new AbortController();
    // Nest binds the handler to the async context in which handle() is called: the signal reaches the resolver.
    return withUpstreamSignal(upstream.signal, () => next.handle()).pipe(
      timeout({
        first: ms,
        with: () => {
          upstream.abort();
          return throwError(
            () =>
              new DomainError(ErrorCode.UPSTREAM_TIMEOUT, `'${info.fieldName}' took longer than ${ms} ms`, {
                limit: 'QUERY_TIMEOUT_MS',
              }),
          );
        },
      }),
    );
  }
}
