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
  let stop: (result: IteratorReturnResult<undefined>) => void = () => undefined;
  const stopped = new Promise<IteratorReturnResult<undefined>>((resolve) => (stop = resolve));
  const end = async (): Promise<IteratorReturnResult<undefined>> => {
    finished = true;
    buffer.length = 0;
    stop({ value: undefined, done: true });
    await source.return?.();
    return { value: undefined, done: true };
  };
  return {
    async next(): Promise<IteratorResult<U>> {
      while (!finished) {
        if (buffer.length) return { value: buffer.shift()!, done: false };
        const event = await Promise.race([source.next(), stopped]);
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
