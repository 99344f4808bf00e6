import type { IncomingMessage } from 'node:http';
import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { GraphQLError } from 'graphql';
import type { Context, SubscribePayload } from 'graphql-ws';
import { ErrorCode, KeyQuota, type Lease, type Principal } from '@kcloud/common';
import { isAllowed } from '../access-policy';
import { AuthFailureThrottle, failureSubjects, tooManyFailuresMessage } from '../auth-failure-throttle';
import { AUTH_SETTINGS, type AuthSettings } from '../auth-settings';
import { clientAddress } from '../client-address';
import { Authenticator, type GrantLapse } from '../authenticator';
import { credentialsFrom } from '../credentials';
import { RateLimiter } from '../rate-limiter.service';
import { rateLimitedError } from './graphql-errors';
import { SubscriptionQuota } from './subscription-quota';
import { checkQueryLimits, introspectionErrors, parseWithinLimits, queryLimitsOf } from './query-limits';

/**
 * graphql-ws close codes (the protocol's own: 4401 Unauthorized, 4403 Forbidden; 4429 is its "too many" code, which
 * graphql-ws clients treat as fatal rather than retrying at once).
 */
const WS_UNAUTHORIZED = 4401;
const WS_FORBIDDEN = 4403;
const WS_TOO_MANY = 4429;

const LAPSE_REASONS: Readonly<Record<GrantLapse, string>> = {
  revoked: 'API key revoked',
  expired: 'API key expired',
  changed: 'API key changed; reconnect',
};

interface Connection {
  readonly principal: Principal;
  readonly expiresAt?: Date;
  /** Its slot under MAX_CONNECTIONS_PER_KEY. */
  readonly lease: Lease;
  expiry?: NodeJS.Timeout;
}

interface WsExtra {
  readonly socket?: { close(code: number, reason: string): void };
  readonly request?: Partial<IncomingMessage>;
}

type WsContext = Context<Record<string, unknown> | undefined, unknown>;

// setTimeout's ceiling; a later expiry is re-armed when the timer fires.
const MAX_TIMER_MS = 2_147_483_647;

/**
 * graphql-ws authentication and limits. `connection_init` carries `{ authorization: 'Bearer <key>' }` (or Basic, or
 * `x-api-key`); a missing, wrong or expired key closes the socket with 4401, a role that may not subscribe with 4403,
 * a client address (or Basic user) over AUTH_FAILURES_PER_MINUTE failed attempts, or a key already holding
 * MAX_CONNECTIONS_PER_KEY connections and SSE streams, with 4429, before any operation runs (graphql-ws itself closes
 * 4401 on a `subscribe` sent before the init). Each operation
 * then passes the per-key rate limit, the concurrent-subscription cap (across replicas with Redis) and the
 * depth/complexity limits.
 */
@Injectable()
export class WsAccess implements OnModuleDestroy {
  private readonly logger = new Logger(WsAccess.name);
  private readonly connections = new Map<WsContext, Connection>();

  constructor(
    private readonly auth: Authenticator,
    private readonly limiter: RateLimiter,
    private readonly moduleRef: ModuleRef,
    @Inject(AUTH_SETTINGS) private readonly settings: AuthSettings,
    private readonly failures: AuthFailureThrottle,
    private readonly quota: KeyQuota,
    private readonly subscriptionQuota: SubscriptionQuota,
  ) {
    subscriptionQuota.countFrom(() => this.activeCounts());
  }

  /** The authenticated caller of a connection (the GraphQL context reads it for every operation). */
  principalOf(ctx: WsContext): Principal | undefined {
    return this.connections.get(ctx)?.principal;
  }

  readonly onConnect = (ctx: WsContext): boolean => {
    const params = ctx.connectionParams ?? {};
    const credentials = credentialsFrom(
      text(params.authorization ?? params.Authorization),
      text(params['x-api-key'] ?? params.apiKey),
    );
    const subjects = failureSubjects(
      clientAddress(upgradeOf(ctx) ?? {}, this.settings.trustProxy),
      credentials,
    );
    const counted = this.auth.enforced && credentials.kind !== 'none';
    const wait = counted ? this.failures.retryAfterSeconds(subjects) : 0;
    if (wait > 0) return this.refuse(ctx, WS_TOO_MANY, tooManyFailuresMessage(wait));
    const outcome = this.auth.authenticate(credentials);
    if (!outcome.ok) {
      if (counted) void this.failures.failed(subjects);
      return this.refuse(ctx, WS_UNAUTHORIZED, outcome.message);
    }
    const { principal } = outcome;
    if (!isAllowed(principal.role, ['partner']))
      return this.refuse(
        ctx,
        WS_FORBIDDEN,
        `role '${principal.role}' may not subscribe; it needs partner or admin`,
      );
    const claim = this.quota.claim(this.auth.enforced ? principal : undefined, 'connections');
    if (!claim.ok) return this.refuse(ctx, WS_TOO_MANY, claim.message);
    const connection: Connection = { principal, expiresAt: outcome.expiresAt, lease: claim.lease };
    this.connections.set(ctx, connection);
    if (outcome.expiresAt) this.armExpiry(ctx, connection, outcome.expiresAt);
    return true;
  };

  readonly onSubscribe = async (
    ctx: WsContext,
    _id: string,
    payload: SubscribePayload,
  ): Promise<readonly GraphQLError[] | void> => {
    const principal = this.principalOf(ctx);
    if (!principal)
      return [new GraphQLError('not authenticated', { extensions: { code: ErrorCode.UNAUTHENTICATED } })];
    if (this.auth.enforced) {
      const decision = await this.limiter.hit(principal.name, this.auth.rateLimitOf(principal.name));
      if (!decision.allowed) return [rateLimitedError(decision)];
      const capped = await this.subscriptionCap(principal.name);
      if (capped) return [capped];
    }
    // The same limits as over HTTP, before graphql-ws parses and validates (its validation is quadratic in repeats).
    const limits = queryLimitsOf(this.settings);
    const parsed = parseWithinLimits(payload.query, payload.operationName, limits);
    if (parsed.error) return [parsed.error];
    const schema = this.schema();
    if (!parsed.document || !schema) return undefined; // graphql-ws reports syntax errors itself
    if (!this.settings.introspection) {
      const refused = introspectionErrors(schema, parsed.document);
      if (refused.length) return refused;
    }
    const { error, cost } = checkQueryLimits(
      schema,
      parsed.document,
      payload.variables ?? undefined,
      payload.operationName,
      limits,
    );
    if (error) return [error];
    // The operation already paid one unit above; an upstream-bound one pays the rest of its units.
    const extra = (cost?.upstreamUnits ?? 0) - 1;
    if (this.auth.enforced && extra > 0) {
      const decision = await this.limiter.hit(principal.name, this.auth.rateLimitOf(principal.name), extra);
      if (!decision.allowed) return [rateLimitedError(decision)];
    }
    return undefined;
  };

  readonly onClose = (ctx: WsContext): void => {
    const connection = this.connections.get(ctx);
    if (connection?.expiry) clearTimeout(connection.expiry);
    connection?.lease.release();
    this.connections.delete(ctx);
    if (connection) void this.subscriptionQuota.heartbeat();
  };

  /**
   * After the keys were reloaded: closes (4401) every connection whose key was revoked, or whose secret (hash), role,
   * scope or expiry changed, so a client reconnects under what its key grants now. The Basic account is not a key and
   * stays.
   */
  revalidate(): void {
    for (const [ctx, connection] of this.connections) {
      const { principal } = connection;
      const lapse = this.auth.lapseOf(principal);
      if (!lapse) continue;
      const reason = LAPSE_REASONS[lapse];
      this.logger.log(`closing the subscriptions of '${principal.name}': ${reason}`);
      socketOf(ctx)?.close(WS_UNAUTHORIZED, reason);
    }
  }

  onModuleDestroy(): void {
    for (const connection of this.connections.values())
      if (connection.expiry) clearTimeout(connection.expiry);
    this.connections.clear();
  }

  /** MAX_SUBSCRIPTIONS_PER_KEY, across replicas when they share Redis (SubscriptionQuota). */
  private async subscriptionCap(principalName: string): Promise<GraphQLError | undefined> {
    // graphql-ws registers the operation in ctx.subscriptions before onSubscribe, so it is part of the count (and so
    // are this key's SSE streams on this replica).
    const active = this.subscriptionQuota.localCounts().get(principalName) ?? 0;
    const decision = await this.subscriptionQuota.check(principalName, active);
    if (decision.ok) return undefined;
    return new GraphQLError(
      `at most ${decision.limit} concurrent subscriptions per key (MAX_SUBSCRIPTIONS_PER_KEY), across replicas`,
      { extensions: { code: ErrorCode.RATE_LIMITED, limit: 'MAX_SUBSCRIPTIONS_PER_KEY' } },
    );
  }

  /** Active operations per key name on this replica. */
  private activeCounts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const [ctx, c] of this.connections)
      counts.set(
        c.principal.name,
        (counts.get(c.principal.name) ?? 0) + Object.keys(ctx.subscriptions).length,
      );
    return counts;
  }

  private armExpiry(ctx: WsContext, connection: Connection, expiresAt: Date): void {
    const wait = expiresAt.getTime() - Date.now();
    connection.expiry = setTimeout(
      () => {
        if (expiresAt.getTime() > Date.now()) return this.armExpiry(ctx, connection, expiresAt);
        this.logger.log(`closing the subscriptions of '${connection.principal.name}': API key expired`);
        socketOf(ctx)?.close(WS_UNAUTHORIZED, 'API key expired');
      },
      Math.min(Math.max(0, wait), MAX_TIMER_MS),
    );
    connection.expiry.unref();
  }

  private refuse(ctx: WsContext, code: number, reason: string): false {
    // Close with our code first; graphql-ws's own close(4403) after `false` is then a no-op.
    socketOf(ctx)?.close(code, reason.slice(0, 120));
    return false;
  }

  private schema() {
    try {
      return this.moduleRef.get(GraphQLSchemaHost, { strict: false }).schema;
    } catch {
      return undefined;
    }
  }
}

function socketOf(ctx: WsContext): WsExtra['socket'] {
  return (ctx.extra as WsExtra | undefined)?.socket;
}

/** The upgrade request: its socket's peer, and X-Forwarded-For when that peer is a trusted proxy (clientAddress). */
function upgradeOf(ctx: WsContext): Partial<IncomingMessage> | undefined {
  return (ctx.extra as WsExtra | undefined)?.request;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
