import { defaultScenario } from '@kcloud/fleet-model';
import { gql } from './harness/graphql-client';
import { pollUntil } from './harness/poll';
import { useStack } from './harness/use-stack';
import { bothScrapeShapes } from './harness/stacks';
import { atLeast } from './harness/indexed';

interface ScoreNode {
  uuid: string;
  score: number | null;
  status: string;
  reason: string | null;
}

const SCORES = `{ gpuScores(first: 1000) { edges { node { uuid score status reason } } } }`;

describe('analyzer: a failing GPU is not scored (real Prometheus scraping the simulator)', () => {
  // Hour-long ticks keep the numbers still; every health row is exported (XID and double-bit ECC among them).
  const scenario = { ...defaultScenario(), tickSeconds: 3600, dcgmHealthCounters: 'all' as const };

  const stack = useStack(scenario, bothScrapeShapes(scenario), {
    ANALYZER_INTERVAL_SECONDS: '1',
    ANALYZER_WINDOW_SECONDS: '5',
  });

  const scores = async (): Promise<ScoreNode[]> => {
    const res = await gql<{ gpuScores: { edges: { node: ScoreNode }[] } }>(stack.url, SCORES);
    expect(res.errors).toBeUndefined();
    return res.data!.gpuScores.edges.map((e) => e.node);
  };

  it('marks the GPU that threw XID 79 UNKNOWN with the XID as the reason; the others are still scored', async () => {
    const [faulty, other] = atLeast(
      stack.model.gpus().filter((g) => g.migInstanceId === undefined),
      2,
      'whole GPUs',
    );
    // Before the fault both are scored: the rule is what makes the difference.
    const before = await pollUntil('both GPUs scored', async () => {
      const rows = await scores();
      const pair = [faulty, other].map((g) => rows.find((r) => r.uuid === g.uuid));
      return pair.every((r) => r && r.status !== 'UNKNOWN' && r.score !== null) ? pair : undefined;
    });
    expect(before).toHaveLength(2);

    stack.model.faults.set(faulty.uuid, { xid: 79 });
    const rows = await pollUntil(
      'XID 79 GPU unknown',
      async () => {
        const all = await scores();
        return all.find((r) => r.uuid === faulty.uuid)?.status === 'UNKNOWN' ? all : undefined;
      },
      { timeoutMs: 60_000 },
    );
    const failing = rows.find((r) => r.uuid === faulty.uuid)!;
    expect(failing.score).toBeNull();
    expect(failing.reason).toContain('critical XID 79 (GPU has fallen off the bus)');
    const healthy = rows.find((r) => r.uuid === other.uuid)!;
    expect(healthy.status).not.toBe('UNKNOWN');
    expect(healthy.score).not.toBeNull();
    expect(rows.filter((r) => r.reason?.includes('XID'))).toHaveLength(1);
  });
});
