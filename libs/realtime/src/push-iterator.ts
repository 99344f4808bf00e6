/**
 * What a push iterator keeps while its consumer is not waiting: every value in order (`queue`: events, where each
 * one matters), or only the newest (`latest`: snapshots, where a slow consumer wants now, not a backlog).
 */
export type PushBuffering = 'queue' | 'latest';

/**
 * A push source as a pull iterator (GraphQL subscriptions pull). `subscribe` starts the source and returns how to
 * stop it; `return()` (or `throw()`) stops it at once, drops what was buffered and settles a pending `next()`.
 */
export function pushIterator<T>(
  subscribe: (push: (value: T) => void) => () => void,
  buffering: PushBuffering,
): AsyncIterableIterator<T> {
  const buffer: T[] = [];
  let wake: ((r: IteratorResult<T>) => void) | undefined;
  let done = false;
  const stop = subscribe((value) => {
    if (done) return;
    if (wake) {
      const w = wake;
      wake = undefined;
      return w({ value, done: false });
    }
    if (buffering === 'latest') buffer.length = 0;
    buffer.push(value);
  });
  const finish = (): Promise<IteratorResult<T>> => {
    if (!done) {
      done = true;
      stop();
      buffer.length = 0;
      wake?.({ value: undefined, done: true });
      wake = undefined;
    }
    return Promise.resolve({ value: undefined, done: true });
  };
  const iterator: AsyncIterableIterator<T> = {
    next: () => {
      if (buffer.length) return Promise.resolve({ value: buffer.shift()!, done: false });
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => (wake = resolve));
    },
    return: finish,
    throw: async (e?: unknown) => {
      await finish();
      throw e;
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}
