import type { IncomingMessage } from 'node:http';
import { Inject, Injectable, Optional } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { ExecutionResult, GraphQLError } from 'graphql';
import type { Context, FormattedExecutionResult } from 'graphql-ws';
import { formatGraphQLError, type Principal } from '@kcloud/common';
import { RequestAdmission } from '../admission.service';
import { AuthFailureThrottle, failureSubjects } from '../auth-failure-throttle';
import { AUTH_SETTINGS, type AuthSettings } from '../auth-settings';
import { clientAddress } from '../client-address';
import { credentialsFrom } from '../credentials';
import type { RateDecision } from '../rate-limiter.service';
import { rateLimitedError, unauthenticatedError, withHttp, WWW_AUTHENTICATE } from './graphql-errors';
import { parseWithinLimits, queryLimitsOf } from './query-limits';
import { WsAccess } from './ws-access.service';

/** The GraphQL context every resolver sees: the transport's own objects plus the caller. */
type GraphqlAuthContext = Record<string, unknown> & { readonly principal?: Principal };

type HttpArg = { readonly req: Request & { principal?: Principal }; readonly res: Response };

/** A stored answer's charge that was refused before Apollo (admitStored), for the context factory to answer. */
const REFUSED = Symbol('storedAnswerRefused');
type StoredRefusal = { [REFUSED]?: RateDecision; principal?: Principal };

/**
 * What apps/api's GraphQL options plug in: the context factory (HTTP: authenticate and rate-limit once per request,
 * so a refused request is a 401/429 before anything is parsed or executed — introspection included — then bound the
 * document's tokens and expanded shape, a 400 before Apollo's validation, whose overlapping-fields rule is quadratic
 * in repeated fields; graphql-ws: the principal authenticated at `connection_init`) and the graphql-ws hooks.
 */
@Injectable()
export class GraphqlAccess {
  constructor(
    private readonly admission: RequestAdmission,
    private readonly ws: WsAccess,
    @Inject(AUTH_SETTINGS) private readonly settings: AuthSettings,
    @Optional() private readonly failures?: AuthFailureThrottle,
  ) {}

  /**
   * graphql-ws options to spread into `subscriptions['graphql-ws']` (compose with other hooks, never replace).
   * `onNext` gives errors sent over the socket the same codes as over HTTP (Apollo's formatError does not run there),
   * so a refused mutation says FORBIDDEN on both transports.
   */
  wsHooks(): Pick<WsAccess, 'onConnect' | 'onSubscribe' | 'onClose'> & { onNext: typeof formatWsResult } {
    return {
      onConnect: this.ws.onConnect,
      onSubscribe: this.ws.onSubscribe,
      onClose: this.ws.onClose,
      onNext: formatWsResult,
    };
  }

  /**
   * The caller a stored answer would be served to (responseCacheHandler, also before Express): authenticated, nothing
   * charged yet. Undefined while the failed-authentication throttle holds the request's address or Basic user (or is
   * still counting its failures): AuthFailureMiddleware answers that 429 before any credential is checked, and a
   * stored answer served before it would tell a guesser which key is right.
   */
  identify(req: IncomingMessage): Principal | undefined {
    if (this.failures && this.settings.mode === 'enforced') {
      const credentials = credentialsFrom(req.headers.authorization, req.headers['x-api-key']);
      if (credentials.kind !== 'none') {
        const subjects = failureSubjects(clientAddress(req, this.settings.trustProxy), credentials);
        if (this.failures.settled(subjects) || this.failures.retryAfterSeconds(subjects) > 0)
          return undefined;
      }
    }
    return this.admission.authenticate(req.headers);
  }

  /**
   * Charges a stored answer as its execution was charged: admission's unit, then the operation's upstream units beyond
   * it (QueryLimitsPlugin). Over budget: false, and the request carries the decision, so the context factory answers
   * Apollo's 429 without charging again.
   */
  async admitStored(
    req: IncomingMessage & StoredRefusal,
    principal: Principal,
    upstreamUnits: number,
  ): Promise<boolean> {
    const admitted = await this.admission.charge(principal, 1);
    if (admitted && !admitted.allowed) {
      req[REFUSED] = admitted;
      return false;
    }
    req.principal = principal;
    const extra = upstreamUnits - 1;
    const charged = extra > 0 ? await this.admission.charge(principal, extra) : undefined;
    if (charged && !charged.allowed) {
      req[REFUSED] = charged;
      return false;
    }
    return true;
  }

  async context(arg: unknown): Promise<GraphqlAuthContext> {
    if (isWsContext(arg)) return { ...arg, principal: this.ws.principalOf(arg) };
    const { req } = arg as HttpArg;
    const overBudget = (req as StoredRefusal)[REFUSED];
    if (overBudget)
      throw withHttp(rateLimitedError(overBudget), 429, {
        'Retry-After': String(overBudget.retryAfterSeconds),
      });
    const admitted = await this.admission.admit(req.headers);
    if (!admitted.ok && admitted.refusal === 'unauthenticated')
      throw withHttp(unauthenticatedError(admitted.message), 401, { 'WWW-Authenticate': WWW_AUTHENTICATE });
    if (!admitted.ok)
      throw withHttp(rateLimitedError(admitted.rate), 429, {
        'Retry-After': String(admitted.rate.retryAfterSeconds),
      });
    const refused = this.shapeRefusal(req);
    if (refused) throw withHttp(refused, 400);
    req.principal = admitted.principal;
    return { ...(arg as HttpArg), principal: admitted.principal };
  }

  /** The limit the request's document breaks, from its raw text (Apollo parses and validates it only afterwards). */
  private shapeRefusal(req: HttpArg['req']): GraphQLError | undefined {
    // POST carries a JSON body, GET the query string; a batch (an array) is refused by Apollo itself.
    const params = (req.method === 'GET' ? req.query : req.body) as Record<string, unknown> | undefined;
    const query = params?.query;
    if (typeof query !== 'string') return undefined;
    const operationName = typeof params?.operationName === 'string' ? params.operationName : undefined;
    return parseWithinLimits(query, operationName, queryLimitsOf(this.settings)).error;
  }
}

function formatWsResult(
  _ctx: unknown,
  _id: string,
  _payload: unknown,
  _args: unknown,
  result: ExecutionResult,
): FormattedExecutionResult | undefined {
  if (!result.errors?.length) return undefined;
  return { ...result, errors: result.errors.map((e) => formatGraphQLError(e.toJSON(), e)) };
}

function isWsContext(arg: unknown): arg is Context<Record<string, unknown> | undefined, unknown> {
  return typeof arg === 'object' && arg !== null && 'extra' in arg && 'subscriptions' in arg;
}
