import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The cancellation of the request that caused the current async work (a GraphQL field bounded by QUERY_TIMEOUT_MS),
 * carried implicitly so every upstream call (Prometheus HTTP) made on its behalf is aborted with it instead of holding
 * a socket after the caller has gone. Shared loads (the cache's single-flight) run under their own signal.
 */
const storage = new AsyncLocalStorage<AbortSignal>();

/** Runs `work` with `signal` as the ambient upstream signal (combined with any signal already ambient). */
export function withUpstreamSignal<T>(signal: AbortSignal, work: () => T): T {
  const outer = storage.getStore();
  return storage.run(outer ? AbortSignal.any([outer, signal]) : signal, work);
}

/** Runs `work` with no ambient signal: for work shared by several callers, which no single caller may abort. */
export function detachedFromUpstreamSignal<T>(work: () => T): T {
  return storage.exit(work);
}

/** The ambient upstream signal, if the current work runs on behalf of a cancellable request. */
export function currentUpstreamSignal(): AbortSignal | undefined {
  return storage.getStore();
}
