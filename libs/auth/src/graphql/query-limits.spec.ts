import { buildSchema, getIntrospectionQuery, parse } from 'graphql';
import {
  checkQueryLimits,
  introspectionErrors,
  operationCost,
  operationDepth,
  parseWithinLimits,
  type QueryLimits,
} from './query-limits';

const schema = buildSchema(`
  type Query { gpus(first: Int = 100): GpuConnection  node(id: ID!): Node  system: System }
  type GpuConnection { totalCount: Int  edges: [GpuEdge] }
  type GpuEdge { node: Gpu }
  type Gpu { uuid: String  pod: Pod }
  type Pod { name: String  node: Node }
  type Node { name: String  pods: [Pod] }
  type System { version: String }
`);

const DEFAULTS: QueryLimits = {
  maxDepth: 12,
  maxComplexity: 100_000,
  maxTokens: 10_000,
  maxAliases: 100,
  maxSelections: 2_000,
};

/** The extensions of a limit's refusal. */
const refused = (limit: string, max: number, actual?: number) => ({
  code: 'BAD_USER_INPUT',
  limit,
  max,
  ...(actual === undefined ? {} : { actual }),
});

/** `query Q { ...F0 }` where each fragment spreads the next four times: 4^levels `__typename` once expanded. */
export function fragmentBomb(levels: number): string {
  const fragments = Array.from(
    { length: levels },
    (_, i) => `fragment F${i} on Query { ${`...F${i + 1} `.repeat(4)}}`,
  );
  return `query Q { ...F0 }\n${fragments.join('\n')}\nfragment F${levels} on Query { __typename }`;
}

describe('operationDepth', () => {
  it.each([
    ['one scalar', '{ system { version } }', 2],
    ['a connection', '{ gpus { edges { node { uuid } } } }', 4],
    [
      'the deepest branch counts',
      '{ system { version } gpus { totalCount edges { node { pod { name } } } } }',
      5,
    ],
    [
      'fragments are followed',
      'query { gpus { ...E } } fragment E on GpuConnection { edges { node { uuid } } }',
      4,
    ],
    ['inline fragments add no level', '{ gpus { ... on GpuConnection { totalCount } } }', 2],
    [
      'introspection counts like any field',
      '{ __schema { types { fields { type { name } } } } system { version } }',
      5,
    ],
    [
      'ofType unwraps without a level',
      '{ __schema { types { fields { type { ofType { ofType { name } } } } } } }',
      5,
    ],
    [
      'a fragment cycle terminates',
      'query { node(id: "1") { ...A } } fragment A on Node { pods { node { ...A } } }',
      3,
    ],
    [
      'the named operation is measured',
      'query a { system { version } } query b { gpus { edges { node { uuid } } } }',
      2,
    ],
  ])('%s', (_name, query, depth) => {
    expect(operationDepth(parse(query), query.includes('query a') ? 'a' : undefined)).toBe(depth);
  });
});

describe('operationCost', () => {
  it.each([
    ['a scalar', '{ system { version } }', 2],
    ['a page of 10', '{ gpus(first: 10) { edges { node { uuid } } } }', 1 + 10 * 3],
    ['a page of 1,000', '{ gpus(first: 1000) { edges { node { uuid } } } }', 1 + 1000 * 3],
    ['the schema default page size', '{ gpus { totalCount } }', 1 + 100 * 1],
    ['aliases add up', '{ a: gpus(first: 10) { totalCount } b: gpus(first: 10) { totalCount } }', 2 * 11],
  ])('%s', (_name, query, expected) => {
    expect(operationCost(schema, parse(query), {})?.complexity).toBe(expected);
  });

  it('reads first from variables', () => {
    const doc = parse('query($n: Int) { gpus(first: $n) { totalCount } }');
    expect(operationCost(schema, doc, { n: 50 })?.complexity).toBe(51);
  });
});

describe('parseWithinLimits', () => {
  // Expanding a bomb took 23 s at 12 levels and hours at 16; one memoised walk takes a few ms. The bound only separates
  // the two on a shared CI host.
  it.each([4, 10, 16, 40])(
    'refuses a fragment bomb of %i levels by its expanded size, in well under a second',
    (levels) => {
      const started = performance.now();
      const { error } = parseWithinLimits(fragmentBomb(levels), undefined, DEFAULTS);
      expect(performance.now() - started).toBeLessThan(1_000);
      if (levels === 4) return expect(error?.extensions.limit).toBe('FIELD_REPEATS'); // 256 × __typename: few fields, many repeats
      expect(error?.message).toMatch(
        /^query selects (\d+|over 10\^15) fields once fragments are expanded, more than the maximum of 2000$/,
      );
      expect(error?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        limit: 'GRAPHQL_MAX_SELECTIONS',
        max: 2000,
      });
    },
  );

  it('names the token cap, and stops parsing there', () => {
    const { error } = parseWithinLimits(`{ ${'system { version } '.repeat(5_000)}}`, undefined, DEFAULTS);
    expect(error?.message).toBe('the document has more than 10000 tokens');
    expect(error?.extensions).toEqual({ code: 'BAD_USER_INPUT', limit: 'GRAPHQL_MAX_TOKENS', max: 10_000 });
  });

  it('counts aliases once fragments are expanded', () => {
    const query = `{ ...A ...A } fragment A on Query { ${Array.from({ length: 60 }, (_, i) => `s${i}: system { version }`).join(' ')} }`;
    const { error } = parseWithinLimits(query, undefined, DEFAULTS);
    expect(error?.message).toBe('query has 120 aliased fields, more than the maximum of 100');
    expect(error?.extensions).toEqual(refused('GRAPHQL_MAX_ALIASES', 100, 120));
  });

  it('refuses 1,000 aliases of __schema by the alias cap before measuring anything else', () => {
    const { error } = parseWithinLimits(
      `{ ${Array.from({ length: 1_000 }, (_, i) => `s${i}: __schema { types { name } }`).join(' ')} }`,
      undefined,
      DEFAULTS,
    );
    expect(error?.extensions).toEqual(refused('GRAPHQL_MAX_ALIASES', 100, 1_000));
  });

  it('refuses one field repeated thousands of times, which graphql-js validation compares pairwise', () => {
    const { error } = parseWithinLimits(`{ ${'system { version } '.repeat(1_000)}}`, undefined, DEFAULTS);
    expect(error?.extensions).toEqual(refused('FIELD_REPEATS', 50, 1_000));
  });

  it('leaves other syntax errors to the transport', () => {
    expect(parseWithinLimits('{ system { ', undefined, DEFAULTS)).toEqual({});
  });

  it("passes GraphiQL's full introspection query at the default limits", () => {
    const query = getIntrospectionQuery({
      descriptions: true,
      inputValueDeprecation: true,
      specifiedByUrl: true,
      directiveIsRepeatable: true,
      schemaDescription: true,
    });
    const parsed = parseWithinLimits(query, undefined, DEFAULTS);
    expect(parsed.error).toBeUndefined();
    expect(checkQueryLimits(schema, parsed.document!, {}, undefined, DEFAULTS).error).toBeUndefined();
  });
});

describe('checkQueryLimits', () => {
  const limits = { ...DEFAULTS, maxDepth: 4, maxComplexity: 500 };
  const check = (query: string) => checkQueryLimits(schema, parse(query), {}, undefined, limits);

  it('passes a query within every limit and reports its cost', () => {
    expect(check('{ gpus(first: 10) { edges { node { uuid } } } }')).toEqual({
      cost: { complexity: 31, upstreamUnits: 0 },
    });
  });

  it('names the depth limit', () => {
    const { error } = check('{ gpus(first: 1) { edges { node { pod { name } } } } }');
    expect(error?.message).toBe('query depth 5 exceeds the maximum depth of 4');
    expect(error?.extensions).toEqual(refused('GRAPHQL_MAX_DEPTH', 4, 5));
  });

  it('names the complexity limit', () => {
    const { error } = check('{ gpus(first: 1000) { totalCount } }');
    expect(error?.message).toMatch(/^query complexity 1001 exceeds the maximum complexity of 500/);
    expect(error?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', limit: 'GRAPHQL_MAX_COMPLEXITY' });
  });

  it('charges introspection by the size of its answer: 100 aliases of __schema types exceed a small budget', () => {
    const query = `{ ${Array.from({ length: 100 }, (_, i) => `s${i}: __schema { types { name fields { name } } }`).join(' ')} }`;
    const { error } = check(query);
    expect(error?.extensions).toMatchObject({ limit: 'GRAPHQL_MAX_COMPLEXITY' });
  });
});

describe('introspectionErrors', () => {
  it('refuses __schema and __type with the code Apollo uses over HTTP, and lets __typename through', () => {
    const errors = introspectionErrors(schema, parse('{ __schema { types { name } } }'));
    expect(errors[0]).toMatchObject({
      message: expect.stringMatching(/introspection has been disabled.*"__schema"/),
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
    expect(introspectionErrors(schema, parse('{ __typename system { version } }'))).toEqual([]);
  });
});
