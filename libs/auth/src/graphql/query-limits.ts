import {
  type DocumentNode,
  GraphQLError,
  type GraphQLSchema,
  NoSchemaIntrospectionCustomRule,
  validate,
} from 'graphql';
import { ErrorCode } from '@kcloud/common';
import type { AuthSettings } from '../auth-settings';
import { type OperationCost, operationCost } from './query-cost';
import { operationShape, parseWithinTokens } from './query-shape';

export { operationCost, paginationEstimator } from './query-cost';

export interface QueryLimits {
  readonly maxDepth: number;
  readonly maxComplexity: number;
  /** Lexical tokens of the document (graphql-js parse `maxTokens`). */
  readonly maxTokens: number;
  /** Aliased fields, fragments expanded. */
  readonly maxAliases: number;
  /** Field selections, fragments expanded. */
  readonly maxSelections: number;
}

export const queryLimitsOf = (s: AuthSettings): QueryLimits => ({
  maxDepth: s.maxDepth,
  maxComplexity: s.maxComplexity,
  maxTokens: s.maxTokens,
  maxAliases: s.maxAliases,
  maxSelections: s.maxSelections,
});

/**
 * How often one response name may be selected in one merged selection set. Clients that compose fragments repeat
 * `id` or `name` a few times per level; graphql-js validation compares repeats pairwise, so thousands stall it.
 */
export const MAX_FIELD_REPEATS = 50;

/** Field depth of the operation (`{ gpus { edges { node { uuid } } } }` is 4); fragments measured once each. */
export function operationDepth(document: DocumentNode, operationName?: string | null): number {
  return operationShape(document, operationName)?.depth ?? 0;
}

export type ParsedQuery =
  | { readonly document: DocumentNode; readonly error?: undefined }
  | { readonly document?: undefined; readonly error?: GraphQLError };

/**
 * The text of an operation parsed within the token cap, then measured before anything walks it with its fragments
 * expanded (graphql-js validation, the complexity estimators, execution). A syntax error other than the token cap is
 * left to the transport (Apollo and graphql-ws report it themselves): `{}`.
 */
export function parseWithinLimits(
  query: string,
  operationName: string | null | undefined,
  limits: QueryLimits,
): ParsedQuery {
  const parsed = parseWithinTokens(query, limits.maxTokens);
  if (!parsed.ok)
    return parsed.tooManyTokens
      ? {
          error: limitError(
            `the document has more than ${limits.maxTokens} tokens`,
            'GRAPHQL_MAX_TOKENS',
            limits.maxTokens,
          ),
        }
      : {};
  const error = checkDocumentShape(parsed.document, operationName, limits);
  return error ? { error } : { document: parsed.document };
}

/** The first structural limit the operation breaks (aliases, selections, depth, field repeats), as BAD_USER_INPUT. */
export function checkDocumentShape(
  document: DocumentNode,
  operationName: string | null | undefined,
  limits: QueryLimits,
): GraphQLError | undefined {
  const shape = operationShape(document, operationName);
  if (!shape) return undefined;
  if (shape.aliases > limits.maxAliases)
    return limitError(
      `query has ${count(shape.aliases)} aliased fields, more than the maximum of ${limits.maxAliases}`,
      'GRAPHQL_MAX_ALIASES',
      limits.maxAliases,
      shape.aliases,
    );
  if (shape.selections > limits.maxSelections)
    return limitError(
      `query selects ${count(shape.selections)} fields once fragments are expanded, more than the maximum of ${limits.maxSelections}`,
      'GRAPHQL_MAX_SELECTIONS',
      limits.maxSelections,
      shape.selections,
    );
  if (shape.depth > limits.maxDepth)
    return limitError(
      `query depth ${shape.depth} exceeds the maximum depth of ${limits.maxDepth}`,
      'GRAPHQL_MAX_DEPTH',
      limits.maxDepth,
      shape.depth,
    );
  if (shape.maxRepeats > MAX_FIELD_REPEATS)
    return limitError(
      `query selects one field ${count(shape.maxRepeats)} times in one selection set, more than the maximum of ${MAX_FIELD_REPEATS}`,
      'FIELD_REPEATS',
      MAX_FIELD_REPEATS,
      shape.maxRepeats,
    );
  return undefined;
}

export type LimitsCheck =
  | { readonly error: GraphQLError; readonly cost?: undefined }
  | { readonly error?: undefined; readonly cost?: OperationCost };

/**
 * Every limit of a parsed document: its shape first (cheap, memoised), then its complexity (which expands fragments,
 * so only on a bounded document). The cost is undefined when variables are invalid (execution reports those).
 */
export function checkQueryLimits(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | null | undefined,
  limits: QueryLimits,
): LimitsCheck {
  const shapeError = checkDocumentShape(document, operationName, limits);
  if (shapeError) return { error: shapeError };
  const cost = operationCost(schema, document, variables, operationName);
  if (cost && cost.complexity > limits.maxComplexity)
    return {
      error: limitError(
        `query complexity ${cost.complexity} exceeds the maximum complexity of ${limits.maxComplexity} (lower 'first', ` +
          'shorten time ranges or select fewer fields)',
        'GRAPHQL_MAX_COMPLEXITY',
        limits.maxComplexity,
        cost.complexity,
      ),
    };
  return { cost };
}

/**
 * `__schema` / `__type` refused as Apollo refuses them over HTTP when introspection is off (same code), for
 * transports Apollo does not serve (graphql-ws).
 */
export function introspectionErrors(schema: GraphQLSchema, document: DocumentNode): GraphQLError[] {
  return validate(schema, document, [NoSchemaIntrospectionCustomRule]).map(
    (e) => new GraphQLError(e.message, { nodes: e.nodes, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }),
  );
}

function count(n: number): string {
  return Number.isFinite(n) && n < 1e15 ? String(n) : 'over 10^15';
}

function limitError(message: string, limit: string, max: number, actual?: number): GraphQLError {
  const finite = actual !== undefined && Number.isFinite(actual) && actual < 1e15 ? actual : undefined;
  return new GraphQLError(message, {
    extensions: {
      code: ErrorCode.BAD_USER_INPUT,
      limit,
      max,
      ...(finite !== undefined ? { actual: finite } : {}),
    },
  });
}
