/**
 * Runs `task` on every item with at most `limit` in flight, in item order; resolves when all are done and rejects on
 * the first failure. For probe suites that send thousands of independent requests: the API answers one while
 * Prometheus (another process) works on the next, instead of the suite waiting on each round trip in turn.
 */
export async function forEachConcurrently<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
