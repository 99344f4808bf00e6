import { GraphQLInt, GraphQLList, GraphQLObjectType, GraphQLSchema, GraphQLString, parse } from 'graphql';
import { buildSchema, getIntrospectionQuery } from 'graphql';
import { UPSTREAM_EXTENSION } from '@kcloud/common';
import { COMPLEXITY_PER_UNIT, operationCost, upstreamUnits } from './query-cost';

const HOUR_MS = 3_600_000;
const range = (hours: number, stepSeconds?: number) => ({
  from: new Date(0),
  to: new Date(hours * HOUR_MS),
  stepSeconds,
});

describe('upstreamUnits', () => {
  it.each([
    ['an instant read', {}, {}, 1],
    ['one hour at the default 60 s step (60 points)', { rangeArg: 'range' }, { range: range(1) }, 2],
    ['7 days at 60 s (10,080 points)', { rangeArg: 'range' }, { range: range(24 * 7) }, 1 + 11],
    ['7 days at 15 s (40,320 points)', { rangeArg: 'range' }, { range: range(24 * 7, 15) }, 1 + 41],
    [
      'a range given as ISO text',
      { rangeArg: 'range' },
      { range: { from: '2024-07-01T00:00:00Z', to: '2024-07-31T00:00:00Z' } },
      1 + 44,
    ],
    [
      'an inverted range (the service refuses it)',
      { rangeArg: 'range' },
      { range: { from: new Date(HOUR_MS), to: new Date(0) } },
      1,
    ],
    ['no range argument', { rangeArg: 'range' }, {}, 1],
  ])('%s', (_name, spec, args, units) => {
    expect(upstreamUnits(spec, args)).toBe(units);
  });
});

describe('operationCost', () => {
  const query = new GraphQLObjectType({
    name: 'Query',
    fields: {
      energy: {
        type: GraphQLInt,
        args: { hours: { type: GraphQLInt } },
        extensions: { [UPSTREAM_EXTENSION]: { rangeArg: 'range' } },
      },
      gpus: { type: GraphQLString, extensions: { [UPSTREAM_EXTENSION]: {} } },
      version: { type: GraphQLString },
    },
  });
  const schema = new GraphQLSchema({ query });

  it('charges every alias of an upstream-bound field, in units and in complexity', () => {
    const doc = parse(`{ ${Array.from({ length: 50 }, (_, i) => `g${i}: gpus`).join(' ')} version }`);
    expect(operationCost(schema, doc, {})).toEqual({
      complexity: 50 * (1 + COMPLEXITY_PER_UNIT) + 1,
      upstreamUnits: 50,
    });
  });

  it('adds upstream work once for a nested upstream field, not once per item of the list around it', () => {
    const node = new GraphQLObjectType({
      name: 'Node',
      fields: {
        name: { type: GraphQLString },
        gpus: { type: GraphQLString, extensions: { [UPSTREAM_EXTENSION]: {} } },
      },
    });
    const nested = new GraphQLSchema({
      query: new GraphQLObjectType({
        name: 'Query',
        fields: {
          nodes: {
            type: new GraphQLList(node),
            args: { first: { type: GraphQLInt } },
            extensions: { [UPSTREAM_EXTENSION]: {} },
          },
        },
      }),
    });
    const cost = (first: number) =>
      operationCost(nested, parse(`{ nodes(first: ${first}) { name gpus } }`), {})!;
    // Field resolvers batch per request: 100 nodes read Prometheus as often as 1 does.
    expect(cost(100).upstreamUnits).toBe(cost(1).upstreamUnits);
    expect(cost(100).complexity - cost(1).complexity).toBe(99 * 2);
  });

  it('costs nothing upstream for fields that read no Prometheus', () => {
    expect(operationCost(schema, parse('{ version }'), {})).toEqual({ complexity: 1, upstreamUnits: 0 });
  });
});

describe('introspection complexity', () => {
  const schema = buildSchema(
    `type Query { a(x: Int): A  b: [B] } type A { f1: Int f2: Int f3: Int } type B { g: String } enum E { X Y }`,
  );

  it('grows with the schema for __schema { types }, and with every alias', () => {
    const one = operationCost(schema, parse('{ __schema { types { name } } }'), {})!.complexity;
    expect(one).toBeGreaterThanOrEqual(Object.keys(schema.getTypeMap()).length);
    const ten = operationCost(
      schema,
      parse(`{ ${Array.from({ length: 10 }, (_, i) => `s${i}: __schema { types { name } }`).join(' ')} }`),
      {},
    )!.complexity;
    expect(ten).toBe(10 * one);
  });

  it("keeps GraphiQL's full introspection query in the thousands, not the handful of its text", () => {
    const { complexity } = operationCost(
      schema,
      parse(getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true })),
      {},
    )!;
    expect(complexity).toBeGreaterThan(500);
    expect(complexity).toBeLessThan(100_000);
  });
});
