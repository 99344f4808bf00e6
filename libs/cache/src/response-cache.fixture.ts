import { parse } from 'graphql';
import { type Clock, loadConfig, type Principal } from '@kcloud/common';
import type { CacheService } from './cache.service';
import { DataVersions } from './data-versions';
import { type CachedAnswer, ResponseCache } from './response-cache';
import type { StoredAnswerAdmission } from './response-cache.handler';

/** Test fixture of the response-cache specs: a ResponseCache on a memory store, a settable clock and admission. */
export const QUERY = 'query Scores($first: Int) { gpuScores(first: $first) { totalCount } }';
export const BODY = '{"data":{"gpuScores":{"totalCount":3}}}\n';

export const partner = (namespace: string, name = 'p'): Principal => ({
  name,
  role: 'partner',
  scope: { namespaces: [namespace] },
});

/** A memory store behind the ResponseCache (what CacheService.peek/put do, without Keyv). */
export function storeOf(): CacheService {
  const map = new Map<string, unknown>();
  return {
    peek: async (key: string) => map.get(key),
    put: async (key: string, value: unknown) => void map.set(key, value),
  } as unknown as CacheService;
}

export function responseCacheFixture(env: Record<string, string> = {}) {
  let now = 1_000_000;
  const clock = { nowMs: () => now } as Clock;
  const versions = new DataVersions();
  let installed = 1;
  versions.register('analyzer', () => installed);
  const cache = new ResponseCache(
    storeOf(),
    versions,
    loadConfig({ CACHE_TTL_REALTIME_SECONDS: '30', ...env }),
    clock,
  );
  const charges: { principal: string; units: number }[] = [];
  let allow = true;
  /** Callers by their X-API-Key. */
  const callers = new Map<string, Principal>();
  const admission: StoredAnswerAdmission = {
    identify: (req) => callers.get(String(req.headers['x-api-key'])),
    admitStored: async (_req, principal, units) => {
      charges.push({ principal: principal.name, units });
      return allow;
    },
  };
  /** The key Apollo's path gives QUERY with `variables` for `principal` (the text is then known parsed). */
  const keyOf = (principal: Principal, variables: Record<string, unknown>): string =>
    cache.keyOf({ query: QUERY, document: parse(QUERY), variables, principal })!;
  /** Stores an answer as Apollo's path does: key from the parsed document, then the body with its units. */
  const store = async (
    principal: Principal,
    variables: Record<string, unknown>,
    units = 4,
  ): Promise<CachedAnswer> => cache.set(keyOf(principal, variables), BODY, units);
  return {
    cache,
    admission,
    callers,
    charges,
    keyOf,
    store,
    advance: (ms: number) => void (now += ms),
    refresh: () => void installed++,
    refuse: () => void (allow = false),
  };
}
