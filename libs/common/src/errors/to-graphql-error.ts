import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { DomainError } from './domain-error';
import { ErrorCode } from './error-code';
import type { ClusterFailure } from './domain-error';

export function clusterFailureToGraphQLError(failure: ClusterFailure, path?: readonly (string | number)[]): GraphQLError {
  return new GraphQLError(`cluster '${failure.cluster}' unavailable: ${failure.message}`, {
    path,
    extensions: { code: ErrorCode.CLUSTER_UNAVAILABLE, cluster: failure.cluster, cause: failure.code },
  });
}

/**
 * Apollo's formatError: a DomainError keeps its code and details; errors Apollo or graphql-js raised keep theirs;
 * anything else is an internal error whose message is not leaked.
 */
export function formatGraphQLError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = error instanceof GraphQLError ? error.originalError : error;
  if (original instanceof DomainError) {
    return { ...formatted, message: original.message, extensions: { ...original.details, code: original.code } };
  }
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR') return formatted;
  if (original && typeof original === 'object' && 'getStatus' in original) {
    // Nest HttpExceptions raised inside resolvers (guards, pipes) keep their message.
    const status = (original as { getStatus(): number }).getStatus();
    const mapped = status === 401 ? ErrorCode.UNAUTHENTICATED : status === 403 ? ErrorCode.FORBIDDEN
      : status === 429 ? ErrorCode.RATE_LIMITED : status < 500 ? ErrorCode.BAD_USER_INPUT : ErrorCode.INTERNAL;
    return { message: formatted.message, path: formatted.path, locations: formatted.locations, extensions: { code: mapped } };
  }
  return { message: 'Internal server error', path: formatted.path, locations: formatted.locations, extensions: { code: ErrorCode.INTERNAL } };
}
