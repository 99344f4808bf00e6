import type { Scenario } from '@kcloud/fleet-model';
import { gql } from './harness/graphql-client';
import { promqlDuring } from './harness/promql-during';
import { useStack } from './harness/use-stack';

/** Two clusters of very different size behind one API, so one app counts the PromQL requests of both. */
const scenario: Scenario = {
  seed: 23,
  tickSeconds: 3600,
  clusters: [
    { name: 'small', generate: { nodes: 5, gpusPerNode: 2 } },
    { name: 'big', generate: { nodes: 200, gpusPerNode: 2 } },
  ],
};

const QUERY = `query($c: String) { nodes(filter: { cluster: $c }, first: 1000) {
  totalCount edges { node { name gpus { uuid } pods { name powerWatts } } } } }`;

interface Result {
  nodes: {
    totalCount: number;
    edges: {
      node: { name: string; gpus: { uuid: string }[]; pods: { name: string; powerWatts: number | null }[] };
    }[];
  };
}

describe('nested node fields are batched per request (no N+1)', () => {
  const power = { kepler: 'v0.10', ipmi: false, facility: false } as const;
  const stack = useStack(
    scenario,
    [
      { name: 'small', shape: 'plain', power },
      { name: 'big', shape: 'plain', power },
    ],
    // The analyzer's own cycle would add its queries to the count.
    { CACHE_TTL_REALTIME_SECONDS: '0', POWER_RATE_WINDOW_SECONDS: '10', ANALYZER_ENABLED: 'false' },
  );

  async function requestsFor(cluster: string): Promise<{ requests: number; result: Result }> {
    const { result: res, queries } = await promqlDuring(stack.app, () =>
      gql<Result>(stack.url, QUERY, { c: cluster }),
    );
    expect(res.errors).toBeUndefined();
    return { requests: queries.length, result: res.data! };
  }

  it('costs the same number of PromQL requests for nodes { gpus pods } at 5 and at 200 nodes', async () => {
    const small = await requestsFor('small');
    const big = await requestsFor('big');
    expect(small.result.nodes.totalCount).toBe(5);
    expect(big.result.nodes.totalCount).toBe(200);
    // The nested fields really resolved: every node's GPUs, and pods with power where the model has them.
    for (const { result, cluster } of [
      { result: small.result, cluster: 'small' },
      { result: big.result, cluster: 'big' },
    ]) {
      const gpus = result.nodes.edges.reduce((n, e) => n + e.node.gpus.length, 0);
      const pods = result.nodes.edges.flatMap((e) => e.node.pods);
      expect(gpus).toBe(stack.model.gpus(cluster).length);
      expect(pods.length).toBe(stack.model.pods(cluster).length);
      expect(pods.every((p) => p.powerWatts !== null)).toBe(true);
    }
    expect(big.requests).toBe(small.requests);
    // kube-state-metrics nodes, node power, GPU identity + values, pods: one each.
    expect(small.requests).toBe(5);
  });
});
