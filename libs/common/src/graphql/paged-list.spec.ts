import { buildSchema, graphql, type GraphQLResolveInfo } from 'graphql';
import { type ClusterFailure } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { fullList, pagedList, responseFieldOf } from './paged-list';
import { encodeCursor } from './pagination';
import { type PartialErrorsContext } from './partial-errors';

const down = (cluster: string): ClusterFailure => ({
  cluster,
  code: ErrorCode.CLUSTER_UNAVAILABLE,
  message: 'connect ECONNREFUSED',
});

/** Runs a query against a tiny schema whose resolvers use the helpers as the Nest resolvers do. */
async function run(query: string, failures: readonly ClusterFailure[]) {
  const schema = buildSchema(`
    type Page { totalCount: Int! nodes: [String!]! }
    type Cluster { name: String! sensors: [String!]! }
    type Query { items(first: Int, after: String): Page! clusters: [Cluster!]! }
  `);
  const context: PartialErrorsContext = {};
  const items = ['a', 'b', 'c', 'd'];
  const rootValue = {
    items: (
      args: { first?: number; after?: string },
      ctx: PartialErrorsContext,
      info: GraphQLResolveInfo,
    ) => {
      const page = pagedList(responseFieldOf(ctx, info), { items, failures }, args, (s) => s.toUpperCase());
      return { totalCount: page.totalCount, nodes: page.edges.map((e) => e.node) };
    },
    clusters: () =>
      ['east', 'west'].map((name) => ({
        name,
        sensors: (_: unknown, ctx: PartialErrorsContext, info: GraphQLResolveInfo) =>
          fullList(responseFieldOf(ctx, info), {
            items: [`${name}-psu`],
            failures: name === 'west' ? failures : [],
          }),
      })),
  };
  const result = await graphql({ schema, source: query, rootValue, contextValue: context });
  return {
    result,
    reported: (context.partialErrors ?? []).map(({ path, extensions: { code, cluster, cause } }) => ({
      path,
      code,
      cluster,
      cause,
    })),
  };
}

describe('pagedList', () => {
  it('reports a failed cluster under the alias the client gave the field', async () => {
    const { result, reported } = await run('{ fleet: items(first: 2) { totalCount nodes } }', [down('west')]);
    expect(result.data).toEqual({ fleet: { totalCount: 4, nodes: ['A', 'B'] } });
    expect(reported).toEqual([
      {
        path: ['fleet'],
        code: ErrorCode.CLUSTER_UNAVAILABLE,
        cluster: 'west',
        cause: ErrorCode.CLUSTER_UNAVAILABLE,
      },
    ]);
  });

  it('reports under the field name when there is no alias', async () => {
    const { reported } = await run('{ items { totalCount } }', [down('west')]);
    expect(reported.map((r) => r.path)).toEqual([['items']]);
  });

  it('reports each failed cluster once per request, at the first field that met it', async () => {
    const { reported } = await run('{ a: items { totalCount } b: items { totalCount } }', [
      down('west'),
      down('south'),
    ]);
    expect(reported.map((r) => [r.path, r.cluster])).toEqual([
      [['a'], 'west'],
      [['a'], 'south'],
    ]);
  });

  it('maps only the rows of the page, after the cursor', async () => {
    const mapped: string[] = [];
    const page = pagedList(
      { context: {}, path: ['items'] },
      { items: ['a', 'b', 'c', 'd'], failures: [] },
      {
        first: 2,
        after: encodeCursor(0),
      },
      (s) => (mapped.push(s), s),
    );
    expect(page.edges.map((e) => e.node)).toEqual(['b', 'c']);
    expect(mapped).toEqual(['b', 'c']);
    expect(page.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
  });

  it('rejects a page size above the bound with BAD_USER_INPUT', () => {
    expect(() =>
      pagedList({ context: {}, path: ['items'] }, { items: [], failures: [] }, { first: 1001 }),
    ).toThrow(expect.objectContaining({ code: ErrorCode.BAD_USER_INPUT }));
  });
});

describe('fullList', () => {
  it('reports a nested field under its list index and alias', async () => {
    const { result, reported } = await run('{ clusters { name psus: sensors } }', [down('west')]);
    expect(result.data).toEqual({
      clusters: [
        { name: 'east', psus: ['east-psu'] },
        { name: 'west', psus: ['west-psu'] },
      ],
    });
    expect(reported.map((r) => [r.path, r.cluster])).toEqual([[['clusters', 1, 'psus'], 'west']]);
  });

  it('reports nothing when every cluster answered', async () => {
    const { reported } = await run('{ items { totalCount } clusters { sensors } }', []);
    expect(reported).toEqual([]);
  });
});
