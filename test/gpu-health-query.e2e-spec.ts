import { defaultScenario } from '@kcloud/fleet-model';
import { gql } from './harness/graphql-client';
import { pollUntil } from './harness/poll';
import { useStack } from './harness/use-stack';
import { bothScrapeShapes } from './harness/stacks';
import { at } from './harness/indexed';

const QUERY = `query($filter: GpuFilterInput) { gpuHealth(filter: $filter, first: 1000) {
  totalCount edges { node { uuid health { status reasons } } } } }`;

type Result = {
  gpuHealth: { totalCount: number; edges: { node: { uuid: string; health: { status: string } } }[] };
};

describe('gpuHealth through a real Prometheus scraping the simulator', () => {
  const scenario = { ...defaultScenario(), tickSeconds: 3600, dcgmHealthCounters: 'all' as const };

  const stack = useStack(scenario, bothScrapeShapes(scenario), { CACHE_TTL_REALTIME_SECONDS: '0' });

  const list = async (filter?: object) => {
    const res = await gql<Result>(stack.url, QUERY, filter ? { filter } : undefined);
    expect(res.errors).toBeUndefined();
    return res.data!.gpuHealth.edges.map((e) => e.node);
  };

  it('lists only the GPUs that are not HEALTHY: none at first, then the one that threw XID 79', async () => {
    expect(await list()).toEqual([]);
    const faulty = at(
      stack.model.gpus().filter((g) => g.migInstanceId === undefined),
      0,
      'whole GPU',
    );
    stack.model.faults.set(faulty.uuid, { xid: 79 });
    const rows = await pollUntil('XID 79 listed', async () => {
      const r = await list();
      return r.length ? r : undefined;
    });
    expect(rows.map((r) => [r.uuid, r.health.status])).toEqual([[faulty.uuid, 'CRITICAL']]);
    // HEALTHY only is refused by the query's meaning: nothing, not every GPU.
    expect(await list({ health: ['HEALTHY'] })).toEqual([]);
    expect(await list({ health: ['WARNING'] })).toEqual([]);
  });
});
