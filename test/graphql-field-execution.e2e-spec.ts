import { GraphQLSchemaHost } from '@nestjs/graphql';
import {
  type GraphQLFieldResolver,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  isObjectType,
} from 'graphql';
import { type RunningApp, startApp } from './harness/app';
import { pollUntil } from './harness/poll';

/**
 * How fields execute (issue 12, executed answers): no Apollo plugin wraps the schema's resolvers per field (the
 * project gives no cache hints; Apollo's cache-control plugin did), while answers keep Apollo's `Cache-Control`
 * behaviour; and the per-row field resolvers of a GPU listing answer synchronously, within the caller's scope.
 */
interface Answer {
  readonly data?: { gpus: { edges: { node: { id: string; pod?: string; score: unknown } }[] } };
  readonly errors?: unknown[];
}

describe('GraphQL field execution', () => {
  let off: RunningApp;
  let on: RunningApp;
  const resolversAtBoot = new Map<string, GraphQLFieldResolver<unknown, unknown> | undefined>();

  const post = async (app: RunningApp, query: string) => {
    const res = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Answer };
  };
  const schemaOf = (app: RunningApp) => app.app.get(GraphQLSchemaHost).schema;
  const eachField = (app: RunningApp, visit: (name: string, resolve: unknown) => void) => {
    for (const type of Object.values(schemaOf(app).getTypeMap()))
      if (isObjectType(type) && !type.name.startsWith('__'))
        for (const field of Object.values(type.getFields()))
          visit(`${type.name}.${field.name}`, field.resolve);
  };
  const LIST = `{ gpus(first: 5) { edges { node { id uuid pod dataQuality { status } score { score status } } } } }`;

  beforeAll(async () => {
    off = await startApp({ LOG_LEVEL: 'error', RESPONSE_CACHE_ENABLED: 'false' });
    // Before any request: Apollo instruments a schema at the first execution that has a willResolveField hook.
    eachField(off, (name, resolve) =>
      resolversAtBoot.set(name, resolve as GraphQLFieldResolver<unknown, unknown>),
    );
    on = await startApp({ LOG_LEVEL: 'error', RESPONSE_CACHE_ENABLED: 'true' });
    await pollUntil(
      'the analyzer to score the listed GPUs',
      async () => {
        const { body } = await post(off, LIST);
        return body.data?.gpus.edges.every((e) => e.node.score) ? true : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 500 },
    );
  }, 180_000);
  afterAll(async () => {
    await off?.app.close();
    await on?.app.close();
  });

  it('answers with Apollo’s Cache-Control: no-store on answers nobody stores, the cache’s own on stored ones', async () => {
    for (const query of [LIST, '{ gpu(uuid: "GPU-none") { uuid } }', '{ gpus(first: -1) { totalCount } }']) {
      const { status, headers } = await post(off, query);
      expect([query, status, headers.get('cache-control')]).toEqual([query, 200, 'no-store']);
    }
    const invalid = await post(off, '{ noSuchField }');
    expect([invalid.status, invalid.headers.get('cache-control')]).toEqual([400, 'no-store']);

    const stored = await post(on, '{ gpus(first: 2) { totalCount } }');
    expect(stored.headers.get('x-response-cache')).toBe('miss');
    expect(stored.headers.get('cache-control')).toMatch(/^private, max-age=\d+$/);
    const refused = await post(on, '{ gpus(first: -1) { totalCount } }');
    expect(refused.headers.get('x-response-cache')).toBeNull();
    expect(refused.headers.get('cache-control')).toBe('no-store');
  });

  it('leaves every field resolver of the schema as built after executing: nothing wraps them per field', async () => {
    const { body } = await post(off, LIST);
    expect(body.errors).toBeUndefined();
    let compared = 0;
    eachField(off, (name, resolve) => {
      compared++;
      expect([name, resolve]).toEqual([name, resolversAtBoot.get(name)]);
    });
    expect(compared).toBe(resolversAtBoot.size);
  });

  it('resolves a listed GPU’s score and dataQuality without a promise per row, within the caller’s scope', async () => {
    const gpu = (await post(off, LIST)).body.data!.gpus.edges[0]!.node;
    const fields = (schemaOf(off).getType('Gpu') as GraphQLObjectType).getFields();
    const info = {} as GraphQLResolveInfo;
    const everyone = {};
    const score = fields.score!.resolve!(gpu, {}, everyone, info) as { score?: number } | null;
    expect(score).not.toBeInstanceOf(Promise);
    expect(score).toEqual(expect.objectContaining({ score: expect.any(Number) }));
    // The caller's scope comes from the context (as @CurrentScope reads it): another namespace's key gets no score.
    const outsider = { principal: { name: 'k', role: 'partner', scope: { namespaces: ['not-this-one'] } } };
    expect(fields.score!.resolve!(gpu, {}, outsider, info)).toBeNull();
    const viaReq = { req: { principal: outsider.principal } };
    expect(fields.score!.resolve!(gpu, {}, viaReq, info)).toBeNull();

    const judged = { status: 'OK', nullFields: [] };
    expect(fields.dataQuality!.resolve!({ ...gpu, dataQuality: judged }, {}, everyone, info)).toBe(judged);
  });
});
