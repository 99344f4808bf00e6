import { ErrorCode } from './error-code';

/**
 * The exception every library throws. It carries a code from the shared vocabulary and optional details
 * (e.g. `{ argument: 'namespace' }` or `{ cluster: 'east' }`); the edge translates it for GraphQL and HTTP.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const badInput = (argument: string, message: string): DomainError =>
  new DomainError(ErrorCode.BAD_USER_INPUT, message, { argument });

export const notFound = (what: string, id: string): DomainError =>
  new DomainError(ErrorCode.NOT_FOUND, `${what} '${id}' was not found`, { id });

/** The failure of one cluster in a fan-out; requests keep the healthy clusters' data and report these. */
export interface ClusterFailure {
  readonly cluster: string;
  readonly code: ErrorCode.CLUSTER_UNAVAILABLE | ErrorCode.UPSTREAM_TIMEOUT | ErrorCode.UPSTREAM_ERROR;
  readonly message: string;
}

/** A result that may be partial: the items from the clusters that answered, and a failure per cluster that did not. */
export interface PartialResult<T> {
  readonly items: readonly T[];
  readonly failures: readonly ClusterFailure[];
}
