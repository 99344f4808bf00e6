import { GraphQLError } from 'graphql';
import { ErrorCode } from '@kcloud/common';
import { type RateDecision, rateLimitMessage } from '../rate-limiter.service';

/**
 * Errors raised before execution (context creation, operation checks). Apollo turns `extensions.http` into the
 * response status and headers and strips it from the body; graphql-ws callers get the same error without it.
 */
export function withHttp(
  error: GraphQLError,
  status: number,
  headers: Readonly<Record<string, string>> = {},
): GraphQLError {
  return new GraphQLError(error.message, {
    extensions: { ...error.extensions, http: { status, headers: new Map(Object.entries(headers)) } },
  });
}

export function unauthenticatedError(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.UNAUTHENTICATED } });
}

export function rateLimitedError(decision: RateDecision): GraphQLError {
  return new GraphQLError(rateLimitMessage(decision), {
    extensions: { code: ErrorCode.RATE_LIMITED, retryAfterSeconds: decision.retryAfterSeconds },
  });
}

export const WWW_AUTHENTICATE = 'Bearer realm="kcloud-monitor", Basic realm="kcloud-monitor"';
