import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { DomainError } from './domain-error';
import { ErrorCode } from './error-code';
import type { ClusterFailure } from './domain-error';

export function clusterFailureToGraphQLError(
  failure: ClusterFailure,
  path?: readonly (string | number)[],
): GraphQLError {
  return new GraphQLError(`cluster '${failure.cluster}' unavailable: ${failure.message}`, {
    path,
    extensions: { code: ErrorCode.CLUSTER_UNAVAILABLE, cluster: failure.cluster, cause: failure.code },
  });
}

/**
 * Apollo's formatError: a DomainError keeps its code and details; errors Apollo or graphql-js raised keep theirs;
 * anything else is an internal error whose message is not leaked.
 */
const NEST_HTTP_CODES: Readonly<Record<string, ErrorCode>> = {
  BAD_REQUEST: ErrorCode.BAD_USER_INPUT,
  UNAUTHORIZED: ErrorCode.UNAUTHENTICATED,
  FORBIDDEN: ErrorCode.FORBIDDEN,
  NOT_FOUND: ErrorCode.NOT_FOUND,
  TOO_MANY_REQUESTS: ErrorCode.RATE_LIMITED,
};

export function formatGraphQLError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = error instanceof GraphQLError ? error.originalError : error;
  if (original instanceof DomainError) {
    return {
      ...formatted,
      message: original.message,
      extensions: { ...original.details, code: original.code },
    };
  }
  if (original && typeof original === 'object' && 'getStatus' in original) {
    // Nest HttpExceptions raised inside resolvers (guards, pipes) keep their message.
    const http = original as { getStatus(): number; getResponse(): unknown };
    const status = http.getStatus();
    const body = http.getResponse();
    const detail =
      typeof body === 'object' && body !== null ? (body as { message?: unknown }).message : undefined;
    const message = Array.isArray(detail)
      ? detail.join('; ')
      : typeof detail === 'string'
        ? detail
        : formatted.message;
    const mapped =
      status === 401
        ? ErrorCode.UNAUTHENTICATED
        : status === 403
          ? ErrorCode.FORBIDDEN
          : status === 429
            ? ErrorCode.RATE_LIMITED
            : status < 500
              ? ErrorCode.BAD_USER_INPUT
              : ErrorCode.INTERNAL;
    return { message, path: formatted.path, locations: formatted.locations, extensions: { code: mapped } };
  }
  const raw = formatted.extensions?.code;
  const code = NEST_HTTP_CODES[String(raw)];
  if (code) {
    // Nest's driver already turned an HttpException into its own code; keep its message, speak our vocabulary.
    const original = (formatted.extensions?.originalError ?? {}) as { message?: unknown };
    const message = Array.isArray(original.message) ? original.message.join('; ') : formatted.message;
    return { message, path: formatted.path, locations: formatted.locations, extensions: { code } };
  }
  // Apollo/graphql-js codes (GRAPHQL_VALIDATION_FAILED, BAD_USER_INPUT for coercion…) are already meaningful.
  if (typeof raw === 'string' && raw !== 'INTERNAL_SERVER_ERROR') return formatted;
  return {
    message: 'Internal server error',
    path: formatted.path,
    locations: formatted.locations,
    extensions: { code: ErrorCode.INTERNAL },
  };
}
