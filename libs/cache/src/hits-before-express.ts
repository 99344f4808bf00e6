import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQueryString } from 'node:querystring';
import { peekBody } from './request-body';
import type { ResponseCache } from './response-cache';
import {
  type CacheableRequest,
  cacheableRequestOf,
  sendHit,
  servableHit,
  type StoredAnswerAdmission,
} from './response-cache.handler';

/**
 * What the app's Express chain gives every response and that a hit served without it must give too: the security
 * headers (helmet's, the same on every response, so computed once at boot) and the per-request observers (request id
 * and access log line, API request metrics), attached to the request as the chain's middleware would attach them.
 */
export interface HitEdge {
  readonly headers: readonly (readonly [string, string])[];
  observe(req: IncomingMessage, res: ServerResponse): void;
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
          edge.observe(req, res);
          for (const [name, value] of edge.headers) res.setHeader(name, value);
          sendHit(req, res, entry, cache.remainingSeconds(entry));
        },
        // A store or rate-limiter failure: Express's path has its own answer for it.
        () => fallThrough(),
      )
      .catch((e: unknown) => res.destroy(e instanceof Error ? e : new Error(String(e))));
  };
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
