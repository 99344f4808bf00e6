import type { ClusterConfig } from '@kcloud/common';
import { type FanOutOptions, type FanOutResult, isCallerError, toClusterFailure } from './cluster-info';
import type { Entry } from './cluster-entry';
import type { PrometheusClient } from './client/prometheus-client';
import { withDeadline } from './with-deadline';

/** How a fan-out reports each cluster's outcome to the registry's health (latency on success). */
export interface FanOutHealth {
  up(entry: Entry, latencyMs: number): void;
  failed(entry: Entry, error: unknown): void;
}

/**
 * Runs `fn` on every entry in parallel, each within the deadline. Upstream failures become `failures` (and mark the
 * cluster); a caller error (e.g. BAD_USER_INPUT from the builder) is rethrown, as it would be the same everywhere.
 */
export async function fanOutOver<T>(
  entries: readonly Entry[],
  fn: (client: PrometheusClient, cluster: ClusterConfig) => Promise<T>,
  opts: FanOutOptions,
  health: FanOutHealth,
): Promise<FanOutResult<T>> {
  const settled = await Promise.all(
    entries.map(async (entry) => {
      const started = performance.now();
      try {
        const value = await withDeadline(fn(entry.client, entry.config), opts.timeoutMs, entry.config.name);
        health.up(entry, performance.now() - started);
        return { ok: true as const, cluster: entry.config.name, value };
      } catch (error) {
        if (!isCallerError(error)) health.failed(entry, error);
        return { ok: false as const, cluster: entry.config.name, error };
      }
    }),
  );
  const callerError = settled.find((s) => !s.ok && isCallerError(s.error));
  if (callerError && !callerError.ok) throw callerError.error;
  return {
    results: settled.flatMap((s) => (s.ok ? [{ cluster: s.cluster, value: s.value }] : [])),
    failures: settled.flatMap((s) => (s.ok ? [] : [toClusterFailure(s.cluster, s.error)])),
  };
}
