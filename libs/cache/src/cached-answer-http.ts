import type { StoredAnswer } from './response-cache';

export const RESPONSE_CACHE_HEADER = 'x-response-cache';

/** Answers depend on who asks: a browser's (private) cache must keep one key's answer apart from another's. */
export const CACHED_ANSWER_VARY = ['Authorization', 'X-API-Key'] as const;

/** Cache-Control and ETag of a cached answer: private (it is one scope's), fresh for what is left of its TTL. */
export function cachedAnswerHeaders(entry: StoredAnswer, remainingSeconds: number): [string, string][] {
  return [
    ['cache-control', cacheControlOf(remainingSeconds)],
    ['etag', entry.etag],
  ];
}

/** The Cache-Control values of the seconds seen so far (a TTL's worth of strings, not one per hit). */
const cacheControls: string[] = [];
const MAX_MEMO_SECONDS = 86_400;

export function cacheControlOf(remainingSeconds: number): string {
  if (remainingSeconds > MAX_MEMO_SECONDS) return `private, max-age=${remainingSeconds}`;
  return (cacheControls[remainingSeconds] ??= `private, max-age=${remainingSeconds}`);
}

/** What a hit says about its bytes, as writeHead's flat name/value list (order: as the hit path always sent them). */
export function entityHeadersOf(etag: string, byteLength: number): readonly string[] {
  return [
    'etag',
    etag,
    'content-type',
    'application/json; charset=utf-8',
    'content-length',
    String(byteLength),
  ];
}

/**
 * Whether If-None-Match names the answer's tag (RFC 9110 §13.1.2: weak comparison, `*` matches any). Only GET and HEAD
 * may answer 304; other methods always get the answer.
 */
export function notModified(method: string, ifNoneMatch: string | undefined, etag: string): boolean {
  if ((method !== 'GET' && method !== 'HEAD') || !ifNoneMatch) return false;
  const opaque = etag.replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t.replace(/^W\//, '') === opaque;
  });
}
