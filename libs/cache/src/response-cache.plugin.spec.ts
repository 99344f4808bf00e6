import { ApolloServer } from '@apollo/server';
import { buildSchema } from 'graphql';
import type { Principal } from '@kcloud/common';
import { partner, responseCacheFixture } from './response-cache.fixture';
import { responseCachePlugin } from './response-cache.plugin';

/** The shape of the real schema's parts that matter here: scores, recommendations and the mutations touching them. */
const schema = buildSchema(`
  type Score { uuid: String namespace: String }
  type ReclaimRecommendation { gpuId: String acknowledged: Boolean }
  type Gpu { uuid: String recommendation: ReclaimRecommendation }
  type Query { gpuScores: [Score] reclaimRecommendations: [ReclaimRecommendation] gpus: [Gpu] }
  type Mutation { acknowledgeRecommendation(gpuId: String): [ReclaimRecommendation] updateAnalyzerConfig: Boolean }
`);
const rootValue = {
  gpuScores: () => [{ uuid: 'g1', namespace: 'ml' }],
  reclaimRecommendations: () => [{ gpuId: 'g1', acknowledged: acked }],
  gpus: () => [{ uuid: 'g1', recommendation: { gpuId: 'g1', acknowledged: acked } }],
  acknowledgeRecommendation: () => {
    acked = true;
    return [{ gpuId: 'g1', acknowledged: true }];
  },
  updateAnalyzerConfig: () => true,
};
let acked = false;

/**
 * Which answers a mutation invalidates, through Apollo with the plugin: a snooze (acknowledgeRecommendation, which a
 * partner may send often) only answers that select recommendations — for every tenant, whose lists may hold the GPU —
 * while any other mutation still invalidates every answer.
 */
describe('responseCachePlugin invalidation by mutation', () => {
  async function setup(confinedTo: readonly string[] = ['ReclaimRecommendation']) {
    acked = false;
    const { cache } = responseCacheFixture();
    const server = new ApolloServer<{ principal: Principal }>({
      schema,
      rootValue,
      plugins: [responseCachePlugin(cache, { acknowledgeRecommendation: confinedTo })],
    });
    await server.start();
    const run = async (query: string, who: Principal = partner('ml')) => {
      const res = await server.executeOperation({ query }, { contextValue: { principal: who } });
      return res.http.headers.get('x-response-cache') ?? null;
    };
    return { run, stop: () => server.stop() };
  }
  const SCORES = '{ gpuScores { uuid namespace } }';
  const RECOMMENDATIONS = '{ reclaimRecommendations { gpuId acknowledged } }';
  const NESTED = '{ gpus { uuid recommendation { acknowledged } } }';
  const other = partner('research', 'r');

  it('keeps answers that select no recommendation after a snooze, for every tenant', async () => {
    const t = await setup();
    for (const q of [SCORES, RECOMMENDATIONS, NESTED])
      for (const who of [partner('ml'), other]) await t.run(q, who);
    expect(await t.run(SCORES)).toBe('hit');
    expect(await t.run('mutation { acknowledgeRecommendation(gpuId: "g1") { gpuId } }')).toBeNull();
    expect([await t.run(SCORES), await t.run(SCORES, other)]).toEqual(['hit', 'hit']);
    // Recommendations, at the root or nested, are read again, by every tenant.
    expect([await t.run(RECOMMENDATIONS), await t.run(RECOMMENDATIONS, other)]).toEqual(['miss', 'miss']);
    expect(await t.run(NESTED, other)).toBe('miss');
    await t.stop();
  });

  it('invalidates every answer after any other mutation, or a snooze sent with one', async () => {
    const t = await setup();
    await t.run(SCORES);
    expect(await t.run(SCORES)).toBe('hit');
    await t.run('mutation { updateAnalyzerConfig }');
    expect(await t.run(SCORES)).toBe('miss');
    await t.run('mutation { a: acknowledgeRecommendation(gpuId: "g1") { gpuId } updateAnalyzerConfig }');
    expect(await t.run(SCORES)).toBe('miss');
    await t.stop();
  });

  it('invalidates every answer when a narrow mutation names a type the schema does not have (renamed)', async () => {
    const t = await setup(['ReclaimAdvice']);
    await t.run(SCORES);
    expect(await t.run(SCORES)).toBe('hit');
    await t.run('mutation { acknowledgeRecommendation(gpuId: "g1") { gpuId } }');
    expect(await t.run(SCORES)).toBe('miss');
    await t.stop();
  });
});
