/**
 * Turns a stream of batched events (one PubSub message per analysis cycle) into a stream of the items a subscriber
 * may see, one at a time. Written by hand rather than as an async generator: a generator parked on `await next()`
 * cannot be returned, so a client that unsubscribes would leave the PubSub listener behind. Here `return()` ends the
 * source at once and settles a pending `next()` itself (PubSubAsyncIterableIterator loses a pull that arrives while
 * it is still subscribing).
 */
export function flatMapEvents<T, U>(
  source: AsyncIterator<T>,
  map: (event: T) => readonly U[],
): AsyncIterableIterator<U> {
  const buffer: U[] = [];
  let finished = false;
  // The pulls waiting on the source, settled at once by `end()`. One settler per pull, dropped when the pull settles:
  // racing every pull against one promise that lives as long as the subscription kept a reaction (and the event it
  // carried) per pull on it — ~350 B per delivered event, 63 MiB an hour per replica in the 30-minute soak.
  const waiting = new Set<(result: IteratorResult<T>) => void>();
  const end = async (): Promise<IteratorReturnResult<undefined>> => {
    finished = true;
    buffer.length = 0;
    for (const settle of waiting) settle({ value: undefined, done: true });
    waiting.clear();
    await source.return?.();
    return { value: undefined, done: true };
  };
  const pull = (): Promise<IteratorResult<T>> =>
    new Promise<IteratorResult<T>>((resolve, reject) => {
      waiting.add(resolve);
      source
        .next()
        .then(resolve, reject)
        .finally(() => waiting.delete(resolve));
    });
  return {
    async next(): Promise<IteratorResult<U>> {
      while (!finished) {
        if (buffer.length) return { value: buffer.shift()!, done: false };
        const event = await pull();
        if (finished) break;
        if (event.done) return end();
        buffer.push(...map(event.value));
      }
      return { value: undefined, done: true };
    },
    return: end,
    async throw(error: unknown): Promise<IteratorResult<U>> {
      await end();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
