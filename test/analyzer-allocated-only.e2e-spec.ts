import { defaultScenario } from '@kcloud/fleet-model';
import { gql } from './harness/graphql-client';
import { pollUntil } from './harness/poll';
import { type Stack, startStack } from './harness/stack';
import { bothScrapeShapes } from './harness/stacks';

describe('ANALYZER_ALLOCATED_ONLY=true (real Prometheus scraping the simulator)', () => {
  let stack: Stack;
  const scenario = { ...defaultScenario(), tickSeconds: 3600 };

  beforeAll(async () => {
    stack = await startStack(scenario, bothScrapeShapes(scenario), {
      ANALYZER_INTERVAL_SECONDS: '1',
      ANALYZER_WINDOW_SECONDS: '5',
      ANALYZER_ALLOCATED_ONLY: 'true',
    });
  });
  afterAll(async () => stack?.close());

  it('scores exactly the GPUs a pod holds; unallocated ones have no result and are not in the stats', async () => {
    const allocated = stack.model.gpus().filter((g) => g.pod);
    const unallocated = stack.model.gpus().filter((g) => !g.pod);
    // The scenario must have both kinds, or the test proves nothing.
    expect(allocated.length).toBeGreaterThan(0);
    expect(unallocated.length).toBeGreaterThan(0);
    const key = (g: { uuid: string; migInstanceId?: string | null }) => `${g.uuid}/${g.migInstanceId ?? ''}`;
    const res = await pollUntil('allocated GPUs scored', async () => {
      const r = await gql<{
        gpuScores: { totalCount: number; edges: { node: { uuid: string; migInstanceId: string | null } }[] };
        gpuScoreStats: { total: number };
      }>(
        stack.url,
        `{ gpuScores(first: 1000) { totalCount edges { node { uuid migInstanceId } } } gpuScoreStats { total } }`,
      );
      expect(r.errors).toBeUndefined();
      return r.data!.gpuScores.edges.length ? r.data! : undefined;
    });
    const scored = new Set(res.gpuScores.edges.map((e) => key(e.node)));
    expect(scored).toEqual(new Set(allocated.map(key)));
    for (const g of unallocated) expect(scored.has(key(g))).toBe(false);
    expect(res.gpuScoreStats.total).toBe(new Set(allocated.map(key)).size);
  });
});
