import { ApolloServer } from '@apollo/server';
import { buildSchema } from 'graphql';
import type { Principal } from '@kcloud/common';
import { partner, responseCacheFixture } from './response-cache.fixture';
import { responseCachePlugin } from './response-cache.plugin';

const schema = buildSchema(`
  type Score { uuid: String namespace: String }
  type Query { gpuScores: [Score] }
`);

/**
 * A fake executor behind Apollo: counts executions of gpuScores per namespace and answers only when the test opens the
 * gate (no timing: the test decides when an execution ends).
 */
function executor() {
  const executions: string[] = [];
  let open!: () => void;
  let gate = new Promise<void>((resolve) => (open = resolve));
  let fail = false;
  const rootValue = {
    gpuScores: async (_args: unknown, context: { principal: Principal }) => {
      const namespace = context.principal.scope.namespaces![0]!;
      executions.push(namespace);
      await gate;
      if (fail) throw new Error('upstream failed');
      return [{ uuid: `g-${namespace}`, namespace }];
    },
  };
  return {
    rootValue,
    executions,
    open: () => open(),
    close: () => void (gate = new Promise<void>((resolve) => (open = resolve))),
    failing: (f: boolean) => void (fail = f),
  };
}

/** Event-loop turns (not time): enough for every request sent to reach execution or a flight's wait. */
async function turns(n = 20): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
}

/**
 * Single flight through Apollo with the plugin: right after a refresh every stored answer misses at once, and identical
 * requests arriving together must execute once, the others served the leader's answer as hits.
 */
describe('responseCachePlugin: identical concurrent misses execute once', () => {
  async function setup() {
    const fixture = responseCacheFixture();
    const exec = executor();
    const server = new ApolloServer<{ principal: Principal }>({
      schema,
      rootValue: exec.rootValue,
      plugins: [responseCachePlugin(fixture.cache)],
    });
    await server.start();
    const run = async (who: Principal) => {
      const res = await server.executeOperation(
        { query: '{ gpuScores { uuid namespace } }' },
        { contextValue: { principal: who } },
      );
      return {
        cache: res.http.headers.get('x-response-cache') ?? null,
        body: JSON.stringify(res.body.kind === 'single' ? res.body.singleResult : undefined),
      };
    };
    return { ...fixture, exec, run, stop: () => server.stop() };
  }

  it('executes once per key after a refresh; the others get the same answer as hits', async () => {
    const t = await setup();
    t.exec.open();
    await t.run(partner('ml'));
    t.refresh();
    t.exec.close();
    t.exec.executions.length = 0;
    const answers = Promise.all(Array.from({ length: 8 }, () => t.run(partner('ml'))));
    await turns();
    t.exec.open();
    const all = await answers;
    expect(t.exec.executions).toEqual(['ml']);
    expect(new Set(all.map((a) => a.body)).size).toBe(1);
    expect(all.map((a) => a.cache).sort()).toEqual([...Array(7).fill('hit'), 'miss'].sort());
    await t.stop();
  });

  it('never shares an execution between scopes', async () => {
    const t = await setup();
    const answers = Promise.all([
      ...Array.from({ length: 4 }, () => t.run(partner('ml'))),
      ...Array.from({ length: 4 }, () => t.run(partner('research', 'r'))),
    ]);
    await turns();
    t.exec.open();
    const all = await answers;
    expect(t.exec.executions.sort()).toEqual(['ml', 'research']);
    expect(new Set(all.slice(0, 4).map((a) => a.body)).size).toBe(1);
    expect(new Set(all.slice(4).map((a) => a.body)).size).toBe(1);
    expect(all[0]!.body).toContain('g-ml');
    expect(all[4]!.body).toContain('g-research');
    await t.stop();
  });

  it('lets the waiters execute themselves when the leader’s answer has errors (nothing stored)', async () => {
    const t = await setup();
    t.exec.failing(true);
    const answers = Promise.all(Array.from({ length: 4 }, () => t.run(partner('ml'))));
    await turns();
    t.exec.open();
    const all = await answers;
    expect(t.exec.executions).toHaveLength(4);
    expect(all.every((a) => a.cache === null && a.body.includes('upstream failed'))).toBe(true);
    await t.stop();
  });
});
