import type { INestApplication } from '@nestjs/common';
import { ClusterRegistry, type PrometheusEndpoint } from '@kcloud/prometheus';

/**
 * The PromQL texts the app sends to any cluster's Prometheus while `run` runs, on the endpoints named (instant and
 * range queries by default): what the request-count assertions ("N queries per cluster, whatever the fleet size")
 * count. Background work running at the same time is counted too; see request-attribution.ts where that matters.
 */
export async function promqlDuring<T>(
  app: INestApplication,
  run: () => Promise<T>,
  endpoints: readonly PrometheusEndpoint[] = ['query', 'query_range'],
): Promise<{ result: T; queries: string[] }> {
  const queries: string[] = [];
  const off = app.get(ClusterRegistry).onRequest((e) => {
    if (endpoints.includes(e.endpoint)) queries.push(e.query ?? '');
  });
  try {
    return { result: await run(), queries };
  } finally {
    off();
  }
}
