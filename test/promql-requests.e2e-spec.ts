import { GPU_WINDOW_SOURCE, type GpuWindowSource } from '@kcloud/metrics-source';
import { ClusterRegistry } from '@kcloud/prometheus';
import type { Scenario } from '@kcloud/fleet-model';
import { gql } from './harness/graphql-client';
import { promqlDuring } from './harness/promql-during';
import { useStack } from './harness/use-stack';

/** Two clusters of very different size served by one API, so one app counts requests for both. */
const scenario: Scenario = {
  seed: 11,
  tickSeconds: 3600,
  clusters: [
    { name: 'small', generate: { nodes: 2, gpusPerNode: 5 } },
    { name: 'big', generate: { nodes: 125, gpusPerNode: 8 } },
  ],
};

describe('Prometheus adapters batching', () => {
  const stack = useStack(
    scenario,
    [
      { name: 'small', shape: 'exported' },
      // 1,000 GPUs: a 1 s scrape timed out on a loaded CI host and the target read as down (0 GPUs).
      { name: 'big', shape: 'exported', scrapeIntervalSeconds: 3 },
    ],
    { CACHE_TTL_REALTIME_SECONDS: '0', ANALYZER_ENABLED: 'false' },
  );

  async function requestsFor(
    cluster: string,
    namespace?: string,
  ): Promise<{ requests: number; total: number }> {
    const { result: res, queries } = await promqlDuring(stack.app, () =>
      gql<{ gpus: { totalCount: number } }>(
        stack.url,
        `query($f: GpuFilterInput) { gpus(filter: $f, first: 1000) { totalCount } }`,
        { f: { cluster, namespace } },
      ),
    );
    expect(res.errors).toBeUndefined();
    // The last-seen read of devices behind a down target is sent only while a scrape fails — on a loaded 2-core
    // machine the 1,000-GPU target's 1 s scrape sometimes times out. It is one request per cluster whatever the size;
    // it is counted apart so the batching figure does not depend on the machine's load.
    const downTargetReads = queries.filter((q) => q.includes('max_over_time((timestamp('));
    expect(downTargetReads.length).toBeLessThanOrEqual(1);
    return { requests: queries.length - downTargetReads.length, total: res.data!.gpus.totalCount };
  }

  it('issues the same number of PromQL requests for 10 GPUs as for 1,000', async () => {
    const small = await requestsFor('small');
    const big = await requestsFor('big');
    expect(small.total).toBe(10);
    expect(big.total).toBe(1000);
    expect(big.requests).toBe(small.requests);
    expect(small.requests).toBeLessThanOrEqual(3);
  });

  it('stays constant with a tenant filter too', async () => {
    const small = await requestsFor('small', 'ml-training');
    const big = await requestsFor('big', 'ml-training');
    expect(big.total).toBe(stack.model.gpus('big').filter((g) => g.namespace === 'ml-training').length);
    expect(big.requests).toBe(small.requests);
  });

  it('reads the analyzer window of 10 GPUs and of 1,000 with the same number of requests', async () => {
    const source = stack.app.get<GpuWindowSource>(GPU_WINDOW_SOURCE);
    const registry = stack.app.get(ClusterRegistry);
    const windowOf = async (cluster: string) => {
      let requests = 0;
      const off = registry.onRequest(() => requests++);
      const { items, failures } = await source.gpuWindowAggregates(
        { clusters: [cluster] },
        { windowSeconds: 30 },
      );
      off();
      expect(failures).toEqual([]);
      return { requests, gpus: items.length };
    };
    const small = await windowOf('small');
    const big = await windowOf('big');
    expect([small.gpus, big.gpus]).toEqual([10, 1000]);
    expect(big.requests).toBe(small.requests);
    // identity + 7 averaged families + last XID + worst double-bit ECC count + 3 device constants (capacity,
    // reservation, limit) on a cluster's first read
    expect(small.requests).toBe(13);
    // then the constants come from their cache until ANALYZER_CONSTANTS_TTL_SECONDS
    const [smallAgain, bigAgain] = [await windowOf('small'), await windowOf('big')];
    expect([smallAgain.requests, bigAgain.requests]).toEqual([10, 10]);
  });
});
