import { getOperationAST, type ExecutionArgs } from 'graphql';
import type { ServerOptions } from 'graphql-ws';
import type { ClosableSocket, GracefulShutdown } from './graceful-shutdown.service';
import type { SubscriptionMetrics } from './realtime.metrics';

export type GraphqlWsHooks = Pick<ServerOptions, 'onConnect' | 'onDisconnect' | 'onOperation' | 'onComplete'>;

/**
 * Wraps graphql-ws hooks (e.g. authentication in onConnect) with the realtime gauges. A connection is counted once
 * `onConnect` accepted it (graphql-ws calls onDisconnect only for acknowledged ones); a subscription once it is
 * really running (onOperation with an event stream), and counted down in onComplete, which graphql-ws calls when the
 * client completes, the stream ends or the socket closes. With `shutdown`, accepted sockets are tracked for the drain.
 */
export function withSubscriptionMetrics(
  metrics: SubscriptionMetrics,
  base: GraphqlWsHooks = {},
  shutdown?: GracefulShutdown,
): GraphqlWsHooks {
  return {
    onConnect: async (ctx) => {
      const accepted = base.onConnect ? await base.onConnect(ctx) : undefined;
      if (accepted !== false) metrics.connected();
      // Accepted sockets are closed 1001 "server shutting down" when the process drains.
      const socket = (ctx.extra as { socket?: ClosableSocket } | undefined)?.socket;
      if (accepted !== false && shutdown && socket) shutdown.trackSocket(socket);
      return accepted;
    },
    onDisconnect: async (ctx, code, reason) => {
      metrics.disconnected(ctx);
      await base.onDisconnect?.(ctx, code, reason);
    },
    onOperation: async (ctx, id, payload, args, result) => {
      const replaced = base.onOperation ? await base.onOperation(ctx, id, payload, args, result) : undefined;
      const field = subscriptionField(args);
      if (field && isAsyncIterable(replaced ?? result)) metrics.started(ctx, id, field);
      return replaced;
    },
    onComplete: async (ctx, id, payload) => {
      metrics.stopped(ctx, id);
      await base.onComplete?.(ctx, id, payload);
    },
  };
}

/** The root field of a subscription operation, e.g. `gpuScoreChanged`; undefined for queries and mutations. */
function subscriptionField(args: ExecutionArgs): string | undefined {
  const operation = getOperationAST(args.document, args.operationName);
  if (operation?.operation !== 'subscription') return undefined;
  const first = operation.selectionSet.selections[0];
  return first?.kind === 'Field' ? first.name.value : undefined;
}

const isAsyncIterable = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
