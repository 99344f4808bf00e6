import type { CachedAnswer } from './response-cache';

export const RESPONSE_CACHE_HEADER = 'x-response-cache';

/** Answers depend on who asks: a browser's (private) cache must keep one key's answer apart from another's. */
export const CACHED_ANSWER_VARY = ['Authorization', 'X-API-Key'] as const;

/** Cache-Control and ETag of a cached answer: private (it is one scope's), fresh for what is left of its TTL. */
export function cachedAnswerHeaders(entry: CachedAnswer, remainingSeconds: number): [string, string][] {
  return [
    ['cache-control', `private, max-age=${remainingSeconds}`],
    ['etag', entry.etag],
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
