// Marks failures worth another attempt; kept off the public error classes.
const retryable = new WeakSet<Error>();

export function mark<E extends Error>(error: E): E {
  retryable.add(error);
  return error;
}

export const isRetryable = (e: Error): boolean => retryable.has(e);
