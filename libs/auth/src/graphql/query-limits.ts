import {
  type DocumentNode,
  type FragmentDefinitionNode,
  getOperationAST,
  GraphQLError,
  Kind,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { type ComplexityEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import { ErrorCode } from '@kcloud/common';

export interface QueryLimits {
  readonly maxDepth: number;
  readonly maxComplexity: number;
}

/**
 * Field depth of the operation: `{ gpus { edges { node { uuid } } } }` is 4. Introspection fields (`__schema`,
 * `__type`) are not counted, so GraphiQL's introspection query passes a limit sized for real data.
 */
export function operationDepth(document: DocumentNode, operationName?: string | null): number {
  const operation = getOperationAST(document, operationName);
  if (!operation) return 0;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions)
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);

  const depthOf = (set: SelectionSetNode | undefined, seen: ReadonlySet<string>): number => {
    if (!set) return 0;
    let max = 0;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        if (sel.name.value.startsWith('__')) continue;
        max = Math.max(max, 1 + depthOf(sel.selectionSet, seen));
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        max = Math.max(max, depthOf(sel.selectionSet, seen));
      } else {
        // Validation rejects fragment cycles, but graphql-ws hooks run before validation: guard anyway.
        const name = sel.name.value;
        const fragment = fragments.get(name);
        if (fragment && !seen.has(name)) max = Math.max(max, depthOf(fragment.selectionSet, new Set([...seen, name])));
      }
    }
    return max;
  };
  return depthOf(operation.selectionSet, new Set());
}

/**
 * A paginated field costs its children once per requested item (`first`, `last` or `limit`), so
 * `gpus(first: 1000) { edges { node { uuid } } }` ≈ 3,000 while the same with `first: 10` ≈ 30.
 */
export const paginationEstimator: ComplexityEstimator = ({ args, childComplexity }) => {
  const n = [args.first, args.last, args.limit].find((v): v is number => typeof v === 'number');
  return n === undefined ? undefined : 1 + childComplexity * Math.max(1, n);
};

/** The operation's complexity, or undefined when it cannot be computed (bad variables: execution reports those). */
export function operationComplexity(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName?: string | null,
): number | undefined {
  try {
    return getComplexity({
      schema,
      query: document,
      variables,
      operationName: operationName ?? undefined,
      estimators: [paginationEstimator, simpleEstimator({ defaultComplexity: 1 })],
    });
  } catch {
    return undefined;
  }
}

/** The first limit the operation breaks, as a BAD_USER_INPUT error naming it. */
export function checkQueryLimits(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | null | undefined,
  limits: QueryLimits,
): GraphQLError | undefined {
  const depth = operationDepth(document, operationName);
  if (depth > limits.maxDepth)
    return limitError(`query depth ${depth} exceeds the maximum depth of ${limits.maxDepth}`, 'GRAPHQL_MAX_DEPTH', limits.maxDepth, depth);
  const complexity = operationComplexity(schema, document, variables, operationName);
  if (complexity !== undefined && complexity > limits.maxComplexity)
    return limitError(
      `query complexity ${complexity} exceeds the maximum complexity of ${limits.maxComplexity} (lower 'first' or select fewer fields)`,
      'GRAPHQL_MAX_COMPLEXITY',
      limits.maxComplexity,
      complexity,
    );
  return undefined;
}

function limitError(message: string, limit: string, max: number, actual: number): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: ErrorCode.BAD_USER_INPUT, limit, max, actual },
  });
}
