import { IntEnv } from './env-decorators';

/** Abuse limits: rates, GraphQL document size, connections, exports and request size per key. */
export class LimitsEnv {
  /** Requests per key per minute over HTTP and GraphQL (a key's `rateLimitPerMinute` overrides it). */
  @IntEnv({ min: 1, max: 1_000_000 }) RATE_LIMIT_PER_MINUTE = 600;

  @IntEnv({ min: 2, max: 100 }) GRAPHQL_MAX_DEPTH = 12;

  @IntEnv({ min: 10, max: 100_000_000 }) GRAPHQL_MAX_COMPLEXITY = 100_000;

  /** Lexical tokens in one GraphQL document; parsing stops past it. */
  @IntEnv({ min: 100, max: 1_000_000 }) GRAPHQL_MAX_TOKENS = 10_000;

  /** Aliased fields in one operation, fragments expanded. */
  @IntEnv({ min: 1, max: 100_000 }) GRAPHQL_MAX_ALIASES = 100;

  /** Field selections in one operation, fragments expanded (a fragment spread counts its fields each time). */
  @IntEnv({ min: 100, max: 1_000_000 }) GRAPHQL_MAX_SELECTIONS = 2_000;

  /** Largest graphql-ws message (WebSocket frame) accepted, also before connection_init; a bigger one closes 1009. */
  @IntEnv({ min: 1, max: 102_400 }) WS_MAX_PAYLOAD_KB = 64;

  @IntEnv({ min: 1, max: 10_000 }) MAX_SUBSCRIPTIONS_PER_KEY = 20;

  /**
   * Open graphql-ws connections plus SSE streams per key on one replica; past it a connection is closed 4429 and an SSE
   * request answered 429.
   */
  @IntEnv({ min: 1, max: 10_000 }) MAX_CONNECTIONS_PER_KEY = 20;

  /** Concurrent exports (`/api/v1/export`) per key on one replica; past it 429 until one ends. */
  @IntEnv({ min: 1, max: 1_000 }) MAX_EXPORTS_PER_KEY = 2;

  /**
   * Failed authentications (HTTP and graphql-ws `connection_init`) per client address, and per Basic user name, per
   * minute (shared by replicas through REDIS_URL); past it every attempt from that address (or as that user) is
   * refused with 429 / close 4429 until the minute ends, correct credentials included.
   */
  @IntEnv({ min: 1, max: 100_000 }) AUTH_FAILURES_PER_MINUTE = 10;

  /** Upper bound for one GraphQL query or mutation field; past it the field fails with UPSTREAM_TIMEOUT. */
  @IntEnv({ min: 100, max: 600_000 }) QUERY_TIMEOUT_MS = 30_000;

  @IntEnv({ min: 1, max: 102_400 }) REQUEST_BODY_LIMIT_KB = 256;
}
