import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQueryString } from 'node:querystring';
import { CACHED_ANSWER_VARY, cacheControlOf, notModified, RESPONSE_CACHE_HEADER } from './cached-answer-http';
import { peekBody } from './request-body';
import type { CachedAnswer, ResponseCache } from './response-cache';
import {
  type CacheableRequest,
  cacheableRequestOf,
  servableHit,
  type StoredAnswerAdmission,
  withVary,
} from './response-cache.handler';

/**
 * What the app's Express chain gives every response and that a hit served without it must give too: the security
 * headers (helmet's, the same on every response, so computed once at boot) and the per-request observers (request id
 * and access log line, API request metrics), attached to the request as the chain's middleware would attach them.
 */
export interface HitEdge {
  readonly headers: readonly (readonly [string, string])[];
  /**
   * Attaches the observers. Returns the response headers they give this request (the request id) as a flat
   * name/value list for the hit's head, or nothing when they set them on `res` themselves.
   */
  observe(req: IncomingMessage, res: ServerResponse): readonly string[] | void;
}

export interface BeforeExpressOptions {
  /** The GraphQL path (exactly; `/graphql/`, other cases and sub-paths go to Express). */
  readonly path: string;
  /** Express's JSON body limit: a bigger body is Express's to refuse. */
  readonly maxBodyBytes: number;
  readonly edge: HitEdge;
}

/** A node `request` listener that may hand the request on to the app (`fallThrough`) untouched. */
export type NodeRequestHandler = (req: IncomingMessage, res: ServerResponse, fallThrough: () => void) => void;

/**
 * Serves response-cache hits at the HTTP server, before Express: the same choice, authentication, failure throttle,
 * CSRF rule and charge as responseCacheHandler (it shares them), then the edge's headers and observers, then the stored
 * bytes. Only GET and POST of the GraphQL path with a JSON request whose body can be read as Express would read it
 * (Content-Length within the limit, no content encoding, UTF-8); anything else, every miss and every refusal go on to
 * Express as they came — a POST body read here is put back in the stream first.
 */
export function cachedAnswersBeforeExpress(
  cache: ResponseCache,
  admission: StoredAnswerAdmission,
  options: BeforeExpressOptions,
): NodeRequestHandler {
  const { path, edge } = options;
  // Every hit's head starts the same: the security headers and the cache's verdict, flattened once for writeHead.
  const head = [...edge.headers.flat(), RESPONSE_CACHE_HEADER, 'hit'];
  return (req, res, fallThrough) => {
    if (!cache.enabled || (req.method !== 'GET' && req.method !== 'POST')) return fallThrough();
    const url = req.url ?? '';
    const q = url.indexOf('?');
    if ((q < 0 ? url : url.slice(0, q)) !== path) return fallThrough();
    operationOf(req, url, q, options.maxBodyBytes)
      .then((operation) => (operation ? servableHit(cache, admission, req, operation) : undefined))
      .then(
        (entry) => {
          if (!entry) return fallThrough();
          // Express sets originalUrl; the access log and the API metrics read it.
          (req as IncomingMessage & { originalUrl?: string }).originalUrl = url;
          const observed = edge.observe(req, res);
          writeHit(
            req,
            res,
            entry,
            cache.remainingSeconds(entry),
            observed ? [...observed, ...head] : [...head],
          );
        },
        // A store or rate-limiter failure: Express's path has its own answer for it.
        () => fallThrough(),
      )
      .catch((e: unknown) => res.destroy(e instanceof Error ? e : new Error(String(e))));
  };
}

const VARY = CACHED_ANSWER_VARY.join(', ');

/**
 * Writes a hit (or 304 to a GET whose If-None-Match names it) with one writeHead: `head` (this request's own array),
 * then Cache-Control for the seconds left, Vary, and the entry's own ETag/Content-Type/Content-Length, made when it was
 * stored. The same headers as responseCacheHandler's sendHit, without a setHeader per header: a hit is mostly its head
 * and one write.
 */
function writeHit(
  req: IncomingMessage,
  res: ServerResponse,
  entry: CachedAnswer,
  remainingSeconds: number,
  head: string[],
): void {
  // Headers an observer set on res stay (writeHead merges); a Vary among them is extended, as Express's res.vary does.
  const vary = res.hasHeader('vary') ? withVary(res.getHeader('vary'), CACHED_ANSWER_VARY) : VARY;
  head.push('cache-control', cacheControlOf(remainingSeconds), 'vary', vary);
  if (notModified(req.method ?? '', req.headers['if-none-match'], entry.etag)) {
    head.push('etag', entry.etag);
    res.writeHead(304, head);
    res.end();
    return;
  }
  head.push(...entry.entityHeaders);
  res.writeHead(200, head);
  res.end(entry.bytes);
}

/** The operation of a GET's query string or a plain JSON POST body, as Express would parse them; else undefined. */
async function operationOf(
  req: IncomingMessage,
  url: string,
  q: number,
  maxBodyBytes: number,
): Promise<CacheableRequest | undefined> {
  const { headers } = req;
  if (req.method === 'GET')
    // Express 5's default ("simple") query parser is node's querystring.
    return cacheableRequestOf({
      method: 'GET',
      headers,
      query: q < 0 ? {} : parseQueryString(url.slice(q + 1)),
    });
  if (!plainJson(headers['content-type']) || headers['transfer-encoding'] !== undefined) return undefined;
  const encoding = headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') return undefined;
  const length = Number(headers['content-length']);
  if (!Number.isInteger(length) || length <= 0 || length > maxBodyBytes) return undefined;
  const bytes = await peekBody(req, length);
  if (!bytes || bytes[0] !== 0x7b /* '{' */) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
  return cacheableRequestOf({ method: 'POST', headers, body });
}

/** `application/json`, optionally `; charset=utf-8`: what the JSON body parser reads without a question. */
function plainJson(type: string | undefined): boolean {
  if (!type) return false;
  const [media, ...params] = type.toLowerCase().split(';');
  if (media!.trim() !== 'application/json') return false;
  return params.every((p) => p.trim() === 'charset=utf-8');
}
