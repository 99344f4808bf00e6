import { buildSchema, parse } from 'graphql';
import { checkQueryLimits, operationComplexity, operationDepth } from './query-limits';

const schema = buildSchema(`
  type Query { gpus(first: Int = 100): GpuConnection  node(id: ID!): Node  system: System }
  type GpuConnection { totalCount: Int  edges: [GpuEdge] }
  type GpuEdge { node: Gpu }
  type Gpu { uuid: String  pod: Pod }
  type Pod { name: String  node: Node }
  type Node { name: String  pods: [Pod] }
  type System { version: String }
`);

describe('operationDepth', () => {
  it.each([
    ['one scalar', '{ system { version } }', 2],
    ['a connection', '{ gpus { edges { node { uuid } } } }', 4],
    ['the deepest branch counts', '{ system { version } gpus { totalCount edges { node { pod { name } } } } }', 5],
    ['fragments are followed', 'query { gpus { ...E } } fragment E on GpuConnection { edges { node { uuid } } }', 4],
    ['inline fragments add no level', '{ gpus { ... on GpuConnection { totalCount } } }', 2],
    ['introspection is not counted', '{ __schema { types { fields { type { ofType { ofType { name } } } } } } system { version } }', 2],
    ['a fragment cycle terminates', 'query { node(id: "1") { ...A } } fragment A on Node { pods { node { ...A } } }', 3],
    ['the named operation is measured', 'query a { system { version } } query b { gpus { edges { node { uuid } } } }', 2],
  ])('%s', (_name, query, depth) => {
    expect(operationDepth(parse(query), query.includes('query a') ? 'a' : undefined)).toBe(depth);
  });
});

describe('operationComplexity', () => {
  it.each([
    ['a scalar', '{ system { version } }', 2],
    ['a page of 10', '{ gpus(first: 10) { edges { node { uuid } } } }', 1 + 10 * 3],
    ['a page of 1,000', '{ gpus(first: 1000) { edges { node { uuid } } } }', 1 + 1000 * 3],
    ['the schema default page size', '{ gpus { totalCount } }', 1 + 100 * 1],
    ['aliases add up', '{ a: gpus(first: 10) { totalCount } b: gpus(first: 10) { totalCount } }', 2 * 11],
  ])('%s', (_name, query, expected) => {
    expect(operationComplexity(schema, parse(query), {})).toBe(expected);
  });

  it('reads first from variables', () => {
    const doc = parse('query($n: Int) { gpus(first: $n) { totalCount } }');
    expect(operationComplexity(schema, doc, { n: 50 })).toBe(51);
  });
});

describe('checkQueryLimits', () => {
  const limits = { maxDepth: 4, maxComplexity: 500 };

  it('passes a query within both limits', () => {
    expect(checkQueryLimits(schema, parse('{ gpus(first: 10) { edges { node { uuid } } } }'), {}, undefined, limits)).toBeUndefined();
  });

  it('names the depth limit', () => {
    const error = checkQueryLimits(schema, parse('{ gpus(first: 1) { edges { node { pod { name } } } } }'), {}, undefined, limits);
    expect(error?.message).toBe('query depth 5 exceeds the maximum depth of 4');
    expect(error?.extensions).toEqual({ code: 'BAD_USER_INPUT', limit: 'GRAPHQL_MAX_DEPTH', max: 4, actual: 5 });
  });

  it('names the complexity limit', () => {
    const error = checkQueryLimits(schema, parse('{ gpus(first: 1000) { totalCount } }'), {}, undefined, limits);
    expect(error?.message).toMatch(/^query complexity 1001 exceeds the maximum complexity of 500/);
    expect(error?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', limit: 'GRAPHQL_MAX_COMPLEXITY' });
  });
});
