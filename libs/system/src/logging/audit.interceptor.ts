import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  Logger,
  type NestInterceptor,
} from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { type Observable, tap } from 'rxjs';
import { principalOf } from '@kcloud/common';
import { redactArgs } from './redact-args';

interface WsContext {
  readonly extra?: { readonly request?: unknown };
  readonly connectionParams?: unknown;
}

/**
 * One audit line per mutation root field (every mutation is admin-only by default): who (the key's name and role,
 * never the key), which mutation, its arguments with secrets redacted, and the result (ok, or the error's code), on
 * HTTP and graphql-ws alike. graphql-ws operations (queries, subscriptions) get a line with the connection's key
 * name too, since they never pass the HTTP access log.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  private readonly audit = new Logger('Audit');
  private readonly ws = new Logger('GraphqlWs');

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType<string>() !== 'graphql') return next.handle();
    const gql = GqlExecutionContext.create(ctx);
    const info = gql.getInfo<GraphQLResolveInfo>();
    if (info.path.prev !== undefined) return next.handle(); // root fields only
    const context = gql.getContext<WsContext>();
    const transport = context.extra?.request !== undefined ? 'graphql-ws' : 'http';
    const principal = principalOf(ctx);
    const who = { key: principal?.name ?? null, role: principal?.role ?? null };
    const operation = info.operation.name?.value ?? null;
    if (info.operation.operation !== 'mutation') {
      if (transport === 'graphql-ws')
        this.ws.log({
          msg: `graphql-ws ${info.operation.operation} ${info.fieldName}`,
          ...who,
          field: info.fieldName,
          operation,
        });
      return next.handle();
    }
    const started = Date.now();
    const line = {
      audit: true,
      ...who,
      mutation: info.fieldName,
      operation,
      transport,
      args: redactArgs(gql.getArgs()),
    };
    let logged = false;
    const done = (result: 'ok' | 'error', error?: unknown): void => {
      if (logged) return;
      logged = true;
      const code = error === undefined ? undefined : errorCode(error);
      const entry = {
        msg: `mutation ${info.fieldName} ${result}`,
        ...line,
        result,
        code,
        durationMs: Date.now() - started,
      };
      if (result === 'ok') this.audit.log(entry);
      else this.audit.warn(entry);
    };
    return next
      .handle()
      .pipe(
        tap({ next: () => done('ok'), complete: () => done('ok'), error: (e: unknown) => done('error', e) }),
      );
  }
}

function errorCode(error: unknown): string {
  const e = error as { code?: unknown; extensions?: { code?: unknown }; name?: unknown };
  return String(e.code ?? e.extensions?.code ?? e.name ?? 'INTERNAL');
}
