import { DomainError, ErrorCode } from '@kcloud/common';

/**
 * `snapshots`, each charged (`charge`) before it is handed on; the first refused one becomes a RATE_LIMITED error (the
 * field's value: graphql-js sends it as the event's error) and ends the iteration, unsubscribing from the stream.
 */
export function chargedPerSnapshot<T>(
  snapshots: AsyncIterableIterator<T>,
  charge: () => Promise<boolean>,
): AsyncIterableIterator<T | DomainError> {
  let refused = false;
  const iterator: AsyncIterableIterator<T | DomainError> = {
    next: async () => {
      if (refused) return { value: undefined, done: true };
      const next = await snapshots.next();
      if (next.done || (await charge())) return next;
      refused = true;
      await snapshots.return?.();
      return {
        value: new DomainError(
          ErrorCode.RATE_LIMITED,
          'live updates use the key’s rate limit (a unit a snapshot): over it, this subscription ends; subscribe again later or with a longer intervalSeconds',
        ),
        done: false,
      };
    },
    return: async () => {
      refused = true;
      return (await snapshots.return?.()) ?? { value: undefined, done: true };
    },
    throw: (e?: unknown) => snapshots.throw?.(e) ?? Promise.reject(e),
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}
