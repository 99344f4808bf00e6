/** The one error vocabulary of the API: GraphQL `extensions.code` and the HTTP mapping both derive from it. */
export enum ErrorCode {
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  NOT_FOUND = 'NOT_FOUND',
  FORBIDDEN = 'FORBIDDEN',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  CLUSTER_UNAVAILABLE = 'CLUSTER_UNAVAILABLE',
  UPSTREAM_TIMEOUT = 'UPSTREAM_TIMEOUT',
  UPSTREAM_ERROR = 'UPSTREAM_ERROR',
  NOT_SUPPORTED = 'NOT_SUPPORTED',
  RATE_LIMITED = 'RATE_LIMITED',
  /** The shared state store (Redis, STATE_DIR) did not answer: an admin change was not saved. */
  STATE_UNAVAILABLE = 'STATE_UNAVAILABLE',
  INTERNAL = 'INTERNAL',
}

export function httpStatusOf(code: ErrorCode): number {
  switch (code) {
    case ErrorCode.BAD_USER_INPUT:
      return 400;
    case ErrorCode.UNAUTHENTICATED:
      return 401;
    case ErrorCode.FORBIDDEN:
      return 403;
    case ErrorCode.NOT_FOUND:
      return 404;
    case ErrorCode.RATE_LIMITED:
      return 429;
    case ErrorCode.NOT_SUPPORTED:
      return 501;
    case ErrorCode.CLUSTER_UNAVAILABLE:
    case ErrorCode.UPSTREAM_ERROR:
      return 502;
    case ErrorCode.UPSTREAM_TIMEOUT:
      return 504;
    case ErrorCode.STATE_UNAVAILABLE:
      return 503;
    case ErrorCode.INTERNAL:
      return 500;
  }
}
