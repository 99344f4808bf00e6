import { PrometheusTimeoutError } from './client/prometheus-errors';

/** Rejects with UPSTREAM_TIMEOUT when `timeoutMs` passes first; the callback itself is left to its own timeouts. */
export async function withDeadline<T>(
  work: Promise<T>,
  timeoutMs: number | undefined,
  cluster: string,
): Promise<T> {
  if (timeoutMs === undefined) return work;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new PrometheusTimeoutError(cluster, timeoutMs)), timeoutMs);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
