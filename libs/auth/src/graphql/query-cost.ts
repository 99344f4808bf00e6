import {
  type DocumentNode,
  type GraphQLField,
  type GraphQLSchema,
  isInputObjectType,
  isEnumType,
  isInterfaceType,
  isIntrospectionType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
  type GraphQLType,
} from 'graphql';
import { type ComplexityEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import { UPSTREAM_EXTENSION, type UpstreamSpec } from '@kcloud/common';

/**
 * Upstream units: what a query asks of Prometheus. One unit is one read of up to POINTS_PER_UNIT points per series;
 * every occurrence of an upstream-bound field (each alias) costs 1, plus one unit per started POINTS_PER_UNIT points
 * when it reads a time range (range / step, step DEFAULT_STEP_SECONDS when not given). A request is charged its units
 * on the per-key rate limit (at least 1), and each unit adds COMPLEXITY_PER_UNIT to the query's complexity.
 */
export const POINTS_PER_UNIT = 1_000;
export const DEFAULT_STEP_SECONDS = 60;
export const COMPLEXITY_PER_UNIT = 100;

export interface OperationCost {
  readonly complexity: number;
  readonly upstreamUnits: number;
}

/** The units of one occurrence of an upstream-bound field with these arguments. */
export function upstreamUnits(spec: UpstreamSpec, args: Record<string, unknown>): number {
  if (!spec.rangeArg) return 1;
  const range = args[spec.rangeArg] as { from?: unknown; to?: unknown; stepSeconds?: unknown } | undefined;
  const from = toMs(range?.from);
  const to = toMs(range?.to);
  // An invalid range is refused by the service before any read.
  if (from === undefined || to === undefined || !(to > from)) return 1;
  const step =
    typeof range?.stepSeconds === 'number' && range.stepSeconds > 0
      ? range.stepSeconds
      : DEFAULT_STEP_SECONDS;
  return 1 + Math.ceil((to - from) / 1000 / step / POINTS_PER_UNIT);
}

function toMs(value: unknown): number | undefined {
  const ms = value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isFinite(ms) ? ms : undefined;
}

const upstreamOf = (field: GraphQLField<unknown, unknown>): UpstreamSpec | undefined =>
  field.extensions?.[UPSTREAM_EXTENSION] as UpstreamSpec | undefined;

const pageSize = (args: Record<string, unknown>): number | undefined =>
  [args.first, args.last, args.limit].find((v): v is number => typeof v === 'number');

/**
 * A paginated field costs its children once per requested item (`first`, `last` or `limit`), so
 * `gpus(first: 1000) { edges { node { uuid } } }` ≈ 3,000 while the same with `first: 10` ≈ 30.
 */
export const paginationEstimator: ComplexityEstimator = ({ args, childComplexity }) => {
  const n = pageSize(args);
  return n === undefined ? undefined : 1 + childComplexity * Math.max(1, n);
};

/**
 * Introspection lists cost their children once per item the schema really has (on average), so the cost of an
 * introspection query is the size of its answer: `{ __schema { types { name } } }` costs about one per type, and
 * GraphiQL's full introspection query a few thousand, not the handful of points of its text.
 */
export function introspectionEstimator(schema: GraphQLSchema): ComplexityEstimator {
  const sizes = introspectionListSizes(schema);
  return ({ type, field, childComplexity }) => {
    if (!isIntrospectionType(type)) return undefined;
    // `ofType` is null once a reference is unwrapped: its children are answered with the schema's wrapping rate.
    if (type.name === '__Type' && field.name === 'ofType')
      return 1 + childComplexity * (sizes.get('__Type.ofType') ?? 1);
    if (!isList(field.type)) return undefined;
    return 1 + childComplexity * Math.max(1, sizes.get(`${type.name}.${field.name}`) ?? 1);
  };
}

const sizesCache = new WeakMap<GraphQLSchema, ReadonlyMap<string, number>>();

function introspectionListSizes(schema: GraphQLSchema): ReadonlyMap<string, number> {
  let sizes = sizesCache.get(schema);
  if (sizes) return sizes;
  const types = Object.values(schema.getTypeMap());
  const fields = types.flatMap((t) =>
    isObjectType(t) || isInterfaceType(t) ? Object.values(t.getFields()) : [],
  );
  const mean = (total: number, over: number) => Math.ceil(total / Math.max(1, over));
  const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
  sizes = new Map([
    ['__Schema.types', types.length],
    ['__Schema.directives', schema.getDirectives().length],
    ['__Type.fields', mean(fields.length, types.length)],
    [
      '__Type.inputFields',
      mean(
        sum(types.map((t) => (isInputObjectType(t) ? Object.keys(t.getFields()).length : 0))),
        types.length,
      ),
    ],
    [
      '__Type.enumValues',
      mean(sum(types.map((t) => (isEnumType(t) ? t.getValues().length : 0))), types.length),
    ],
    [
      '__Type.interfaces',
      mean(
        sum(types.map((t) => (isObjectType(t) || isInterfaceType(t) ? t.getInterfaces().length : 0))),
        types.length,
      ),
    ],
    [
      '__Type.possibleTypes',
      mean(sum(types.map((t) => (isUnionType(t) ? t.getTypes().length : 0))), types.length),
    ],
    ['__Field.args', mean(sum(fields.map((f) => f.args.length)), fields.length)],
    [
      '__Directive.args',
      mean(sum(schema.getDirectives().map((d) => d.args.length)), schema.getDirectives().length),
    ],
    ['__Directive.locations', 4],
    [
      '__Type.ofType',
      wrappingRate([...fields.map((f) => f.type), ...fields.flatMap((f) => f.args.map((a) => a.type))]),
    ],
  ]);
  sizesCache.set(schema, sizes);
  return sizes;
}

/**
 * The share of `__Type` nodes in a type reference's `ofType` chain that have a non-null `ofType` (`String!` is one
 * wrapper over one reference: ½); a chain then costs 1 / (1 − rate) nodes on average, as the answer does.
 */
function wrappingRate(refs: readonly GraphQLType[]): number {
  let wrappers = 0;
  for (let t of refs)
    while (isNonNullType(t) || isListType(t)) {
      wrappers++;
      t = t.ofType;
    }
  return wrappers / Math.max(1, wrappers + refs.length);
}

function isList(type: GraphQLType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}

/** Counts upstream units only: every occurrence counts, lists do not multiply (field resolvers batch per request). */
const unitsEstimator: ComplexityEstimator = ({ field, args, childComplexity }) => {
  const spec = upstreamOf(field);
  return childComplexity + (spec ? upstreamUnits(spec, args) : 0);
};

/**
 * Complexity and upstream units of the operation, or undefined when they cannot be computed (bad variables:
 * execution reports those). graphql-query-complexity expands every fragment spread: call this only on a document
 * whose expanded size was bounded first (operationShape).
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName?: string | null,
): OperationCost | undefined {
  try {
    const common = { schema, query: document, variables, operationName: operationName ?? undefined };
    const fields = getComplexity({
      ...common,
      estimators: [
        introspectionEstimator(schema),
        paginationEstimator,
        simpleEstimator({ defaultComplexity: 1 }),
      ],
    });
    const upstream = getComplexity({ ...common, estimators: [unitsEstimator] });
    // Upstream work is added once, not per list item: nested upstream fields are batched per request (DataLoader),
    // so `nodes(first: 100) { gpus pods }` reads Prometheus as often as `nodes(first: 1) { gpus pods }`.
    // Introspection estimates are averages, hence fractions.
    return { complexity: Math.ceil(fields) + COMPLEXITY_PER_UNIT * upstream, upstreamUnits: upstream };
  } catch {
    return undefined;
  }
}
