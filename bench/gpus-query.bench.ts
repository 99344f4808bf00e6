// Issue 2: PromQL requests per `gpus` call and its median latency for 1,000 GPUs through a real Prometheus,
// cold (cache emptied before each call) and cached.
import 'reflect-metadata';
import { CacheService } from '@kcloud/cache';
import { generateScenario } from '@kcloud/fleet-model';
import { ClusterRegistry } from '@kcloud/prometheus';
import { gql } from '../test/harness/graphql-client';
import { startStack } from '../test/harness/stack';
import { median, record, timeMs } from './lib';
import { at } from '../test/harness/indexed';

const RUNS = 15;
const QUERY = `{ gpus(first: 1000) { totalCount edges { node { uuid model utilizationPercent memoryUsedMiB powerWatts namespace pod } } } }`;

async function main(): Promise<void> {
  const scenario = generateScenario({ clusters: 1, nodesPerCluster: 125, gpusPerNode: 8, seed: 7 });
  const cluster = at(scenario.clusters, 0, 'cluster').name;
  const stack = await startStack(scenario, [{ name: cluster, shape: 'exported' }], {
    LOG_LEVEL: 'error',
    ANALYZER_ENABLED: 'false',
  });
  try {
    const cache = stack.app.get(CacheService);
    const registry = stack.app.get(ClusterRegistry);
    let requests = 0;
    const off = registry.onRequest(() => requests++);
    await cache.invalidate();
    const first = await gql<{ gpus: { totalCount: number } }>(stack.url, QUERY);
    const perCall = requests;
    const cold: number[] = [];
    const cached: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      await cache.invalidate();
      cold.push(await timeMs(() => gql(stack.url, QUERY)));
    }
    for (let i = 0; i < RUNS; i++) cached.push(await timeMs(() => gql(stack.url, QUERY)));
    off();
    record('gpus-query', {
      gpus: first.data?.gpus.totalCount,
      promqlRequestsPerCall: perCall,
      runs: RUNS,
      coldMedianMs: Math.round(median(cold) * 10) / 10,
      cachedMedianMs: Math.round(median(cached) * 10) / 10,
      coldToCachedRatio: Math.round((median(cold) / median(cached)) * 10) / 10,
    });
  } finally {
    await stack.close();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`${String(e instanceof Error ? e.stack : e)}\n`);
    process.exit(1);
  },
);
