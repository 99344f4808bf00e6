import {
  createSourceEventStream,
  execute,
  type ExecutionArgs,
  type ExecutionResult,
  getOperationAST,
  print,
} from 'graphql';

/** The part of a subscriber's context that can change what an execution returns (its tenant scope, its role). */
export type ScopeKeyOf = (contextValue: unknown) => string;

export interface SharedExecutionOptions {
  readonly scopeKeyOf: ScopeKeyOf;
  /** Called once per real execution (not per subscriber), with the subscription's root field. */
  readonly executed?: (field: string) => void;
}

type Subscribe = (args: ExecutionArgs) => Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult>;

/**
 * graphql-js `subscribe` with the per-event execution shared between subscribers. Each subscriber still creates its
 * own source stream (so guards, pipes, argument validation and the scope check of the resolver run per subscriber,
 * with its own principal), but when several subscribers' streams yield the *same event object* — the event sources
 * hand one object per (event, filter, scope) to all their subscribers — the selection is executed once for all
 * subscribers holding the same (document, operation, variables, scope) key, and they share the ExecutionResult.
 * The result is memoised by event identity in a WeakMap, so it lives as long as some subscriber still holds the event.
 */
export function sharedSubscribe(options: SharedExecutionOptions): Subscribe {
  const results = new WeakMap<object, Map<string, Promise<ExecutionResult>>>();
  return async (args) => {
    const source = await createSourceEventStream(args);
    if (!isAsyncIterable(source)) return source;
    const key = executionKey(args, options.scopeKeyOf(args.contextValue));
    const field = rootField(args) ?? 'unknown';
    const run = (payload: unknown): Promise<ExecutionResult> => {
      options.executed?.(field);
      return Promise.resolve(execute({ ...args, rootValue: payload }));
    };
    return mapEvents(source[Symbol.asyncIterator](), (payload) => {
      if (typeof payload !== 'object' || payload === null) return run(payload);
      let byKey = results.get(payload);
      if (!byKey) results.set(payload, (byKey = new Map()));
      let result = byKey.get(key);
      if (!result) byKey.set(key, (result = run(payload)));
      return result;
    });
  };
}

/** What must be equal for two subscribers to receive the same result for the same event. */
export function executionKey(args: ExecutionArgs, scopeKey: string): string {
  return JSON.stringify([
    print(args.document),
    args.operationName ?? null,
    sorted(args.variableValues ?? {}),
    scopeKey,
  ]);
}

/** Variables with object keys sorted, so `{a, b}` and `{b, a}` share. */
function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, sorted((value as Record<string, unknown>)[k])]),
  );
}

function rootField(args: ExecutionArgs): string | undefined {
  const first = getOperationAST(args.document, args.operationName)?.selectionSet.selections[0];
  return first?.kind === 'Field' ? first.name.value : undefined;
}

/**
 * `source` mapped through `map`, as an iterator graphql-ws can end (it needs `return`: a client that completes while
 * the operation is still being set up is only stopped when the result looks like a generator).
 */
export function mapEvents<T, U>(
  source: AsyncIterator<T>,
  map: (event: T) => Promise<U>,
): AsyncIterableIterator<U> {
  const iterator: AsyncIterableIterator<U> = {
    async next(): Promise<IteratorResult<U>> {
      const event = await source.next();
      if (event.done) return { value: undefined, done: true };
      return { value: await map(event.value), done: false };
    },
    async return(): Promise<IteratorResult<U>> {
      await source.return?.();
      return { value: undefined, done: true };
    },
    async throw(error: unknown): Promise<IteratorResult<U>> {
      await source.return?.();
      throw error;
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}

const isAsyncIterable = (value: unknown): value is AsyncIterable<unknown> =>
  typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
