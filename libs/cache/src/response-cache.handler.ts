import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Principal } from '@kcloud/common';
import {
  CACHED_ANSWER_VARY,
  cachedAnswerHeaders,
  notModified,
  RESPONSE_CACHE_HEADER,
} from './cached-answer-http';
import type { CachedAnswer, ResponseCache } from './response-cache';

/**
 * The auth side of serving a stored answer (GraphqlAccess implements it): who the credentials name, and the charge
 * an execution of the operation would have paid. Refusals are left to Apollo's own path.
 */
export interface StoredAnswerAdmission {
  /** The authenticated caller, nothing charged; undefined: not authenticated (Apollo answers the 401). */
  identify(req: IncomingMessage): Principal | undefined;
  /**
   * Charges admission's unit and the operation's upstream units beyond it, as an execution is charged. False when
   * over budget: the request then goes on to Apollo, which answers that 429 without charging again.
   */
  admitStored(req: IncomingMessage, principal: Principal, upstreamUnits: number): Promise<boolean>;
}

/** A request as far as choosing a stored answer goes: Express's, or the node server's with its body/query parsed. */
export interface GraphqlHttpRequest {
  readonly method?: string;
  readonly headers: IncomingHttpHeaders;
  /** The parsed JSON body of a POST. */
  readonly body?: unknown;
  /** The parsed query string of a GET. */
  readonly query?: unknown;
}

/** Set on a request whose stored answer was already looked up (and not served) before Express: not looked up twice. */
const LOOKED_UP = Symbol('responseCacheLookedUp');

/** An operation as Apollo would read it from the request, when a stored answer can stand for Apollo's. */
export interface CacheableRequest {
  readonly query: string;
  readonly operationName?: string;
  readonly variables?: Record<string, unknown>;
}

/** Content types a browser sends without a preflight: Apollo's CSRF prevention refuses them on GET. */
const SIMPLE_CONTENT_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];
const CSRF_HEADERS = ['x-apollo-operation-name', 'apollo-require-preflight'];

/**
 * Serves response-cache hits before Apollo (mounted on the GraphQL path after every global middleware: security
 * headers, CORS, the body parser, access log, metrics and the failed-authentication throttle have run). For a request
 * whose document, variables, caller scope and data version name a stored answer, it does what Apollo's path would:
 * authenticate, charge the stored operation's cost (the document already passed the query limits when it ran: limits
 * depend on the text and variables alone, both in the key), and send the stored bytes — or 304 to a GET whose
 * If-None-Match names them. Anything else (a miss, a refusal, a request Apollo would treat differently) goes to Apollo
 * unchanged.
 */
export function responseCacheHandler(cache: ResponseCache, admission: StoredAnswerAdmission): RequestHandler {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!cache.enabled || (req as { [LOOKED_UP]?: true })[LOOKED_UP]) return next();
    const operation = cacheableRequestOf(req);
    if (!operation) return next();
    servableHit(cache, admission, req, operation)
      .then((entry) => (entry ? sendHit(req, res, entry, cache.remainingSeconds(entry)) : next()))
      .catch(next);
  };
}

/**
 * The stored answer `operation` names for the request's caller (or the answer an identical request executing now is
 * about to store), once the caller is authenticated and charged what its execution was charged; undefined (nothing
 * served, the request goes on) otherwise. The request is marked looked up.
 */
export async function servableHit(
  cache: ResponseCache,
  admission: StoredAnswerAdmission,
  req: IncomingMessage,
  operation: CacheableRequest,
): Promise<CachedAnswer | undefined> {
  (req as { [LOOKED_UP]?: true })[LOOKED_UP] = true;
  const principal = admission.identify(req);
  if (!principal) return undefined;
  const key = cache.keyOf({ ...operation, principal });
  if (!key) return undefined;
  // Right after a refresh every stored answer misses at once: an identical request already executing is waited for.
  const entry = cache.peekHot(key) ?? (await cache.answer(key)).entry;
  if (!entry || entry.upstreamUnits === undefined) return undefined;
  return (await admission.admitStored(req, principal, entry.upstreamUnits)) ? entry : undefined;
}

/** Writes a stored answer (or 304 to a GET whose If-None-Match names it) with the cache's headers. */
export function sendHit(
  req: IncomingMessage,
  res: ServerResponse,
  entry: CachedAnswer,
  remainingSeconds: number,
): void {
  res.setHeader(RESPONSE_CACHE_HEADER, 'hit');
  for (const [name, value] of cachedAnswerHeaders(entry, remainingSeconds)) res.setHeader(name, value);
  res.setHeader('vary', withVary(res.getHeader('vary'), CACHED_ANSWER_VARY));
  if (notModified(req.method ?? '', header(req, 'if-none-match'), entry.etag)) {
    res.statusCode = 304;
    res.end();
    return;
  }
  res.statusCode = 200;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', entry.bytes.length);
  res.end(entry.bytes);
}

/** Express's res.vary for a few fields: appended to what is there (CORS' Origin), each once, `*` left alone. */
export function withVary(
  current: number | string | readonly string[] | undefined,
  fields: readonly string[],
): string {
  const existing = (Array.isArray(current) ? current.join(', ') : String(current ?? ''))
    .split(',')
    .map((f) => f.trim())
    .filter((f) => f.length > 0);
  if (existing.includes('*')) return '*';
  const seen = new Set(existing.map((f) => f.toLowerCase()));
  return [...existing, ...fields.filter((f) => !seen.has(f.toLowerCase()))].join(', ');
}

/**
 * The operation of a POST (JSON body) or GET (query string) that Apollo would answer with `application/json`; undefined
 * for anything a stored answer must not stand for: batches, persisted-query extensions (Apollo checks their hash),
 * requests Apollo's CSRF prevention refuses (form posts, simple GETs), clients that negotiate another media type,
 * unparsable variables.
 */
export function cacheableRequestOf(req: GraphqlHttpRequest): CacheableRequest | undefined {
  if (!acceptsJson(header(req, 'accept'))) return undefined;
  // Apollo's CSRF prevention applies to every method: a form POST (urlencoded, which Nest parses) is refused there too.
  if (!preflighted(req)) return undefined;
  let params: Record<string, unknown>;
  let variables: unknown;
  if (req.method === 'POST') {
    const body: unknown = req.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
    params = body as Record<string, unknown>;
    variables = params.variables;
  } else if (req.method === 'GET') {
    params = req.query as Record<string, unknown>;
    if (params.variables !== undefined) {
      if (typeof params.variables !== 'string') return undefined;
      try {
        variables = JSON.parse(params.variables);
      } catch {
        return undefined;
      }
    }
  } else return undefined;
  const { query, operationName, extensions } = params;
  if (typeof query !== 'string' || extensions !== undefined) return undefined;
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string')
    return undefined;
  if (
    variables !== undefined &&
    variables !== null &&
    (typeof variables !== 'object' || Array.isArray(variables))
  )
    return undefined;
  return {
    query,
    ...(typeof operationName === 'string' ? { operationName } : {}),
    ...(variables ? { variables: variables as Record<string, unknown> } : {}),
  };
}

/** Apollo answers `application/json` unless the client prefers graphql-response+json or multipart (then Apollo). */
function acceptsJson(accept: string | undefined): boolean {
  if (!accept) return true;
  const a = accept.toLowerCase();
  if (a.includes('graphql-response') || a.includes('multipart')) return false;
  return a.includes('application/json') || a.includes('*/*') || a.includes('application/*');
}

/** Apollo's CSRF rule (any method): a non-simple content type, or one of its preflight headers. */
function preflighted(req: GraphqlHttpRequest): boolean {
  const type = header(req, 'content-type');
  if (type !== undefined && !SIMPLE_CONTENT_TYPES.includes(type.split(';')[0]!.trim().toLowerCase()))
    return true;
  return CSRF_HEADERS.some((h) => (header(req, h) ?? '').length > 0);
}

function header(req: GraphqlHttpRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}
