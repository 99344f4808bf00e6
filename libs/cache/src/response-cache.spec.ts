import { parse } from 'graphql';
import { type Clock, loadConfig, type Principal } from '@kcloud/common';
import type { CacheService } from './cache.service';
import { DataVersions } from './data-versions';
import { ResponseCache } from './response-cache';

const partner = (namespaces: string[]): Principal => ({ name: 'p', role: 'partner', scope: { namespaces } });

function make(env: Record<string, string> = {}) {
  const versions = new DataVersions();
  const cache = new ResponseCache({} as CacheService, versions, loadConfig(env), { nowMs: () => 0 } as Clock);
  const id = (
    principal?: Principal,
    variables: Record<string, unknown> = {},
    text = '{ gpuScores { totalCount } }',
  ) => ({
    document: parse(text),
    query: text,
    variables,
    principal,
  });
  return { cache, versions, id };
}

describe('ResponseCache keys', () => {
  it('differ per scope and role, and are equal for the same scope in any order', () => {
    const { cache, id } = make();
    const a = cache.keyOf(id(partner(['ml', 'research'])));
    expect(cache.keyOf(id(partner(['research', 'ml'])))).toBe(a);
    expect(
      cache.keyOf(id({ name: 'other', role: 'partner', scope: { namespaces: ['ml', 'research'] } })),
    ).toBe(a);
    expect(cache.keyOf(id(partner(['ml'])))).not.toBe(a);
    expect(
      cache.keyOf(id({ name: 'v', role: 'viewer', scope: { namespaces: ['ml', 'research'] } })),
    ).not.toBe(a);
    expect(cache.keyOf(id({ name: 'c', role: 'partner', scope: { clusters: ['ml', 'research'] } }))).not.toBe(
      a,
    );
    expect(cache.keyOf(id(undefined))).not.toBe(a);
  });

  it('differ per variables, and not per layout of the same document', () => {
    const { cache, id } = make();
    const base = cache.keyOf(id(undefined, { first: 1 }));
    expect(cache.keyOf(id(undefined, { first: 2 }))).not.toBe(base);
    expect(cache.keyOf(id(undefined, { first: 1 }, '{\n  gpuScores {   totalCount }\n}'))).toBe(base);
  });

  it('change when data behind them is refreshed or a mutation ran', () => {
    const { cache, versions, id } = make();
    let installed = 1;
    versions.register('analyzer', () => installed);
    const before = cache.keyOf(id());
    installed++;
    const afterInstall = cache.keyOf(id());
    expect(afterInstall).not.toBe(before);
    versions.bump('snapshot');
    const afterRead = cache.keyOf(id());
    expect(afterRead).not.toBe(afterInstall);
    cache.mutated();
    expect(cache.keyOf(id())).not.toBe(afterRead);
  });

  it('is off when disabled, and never outlives the realtime TTL class', () => {
    expect(make({ RESPONSE_CACHE_ENABLED: 'false' }).cache.enabled).toBe(false);
    expect(make({ CACHE_TTL_REALTIME_SECONDS: '0' }).cache.enabled).toBe(false);
    expect(make({ CACHE_TTL_REALTIME_SECONDS: '5', RESPONSE_CACHE_TTL_SECONDS: '30' }).cache.ttlSeconds).toBe(
      5,
    );
  });
});

describe('ResponseCache keys from the raw text (before Apollo parses it)', () => {
  it('exist only for a text parsed here before, and equal the parsed key', () => {
    const { cache, id } = make();
    const text = '{ gpuScores {   totalCount } }';
    const raw = { query: text, variables: {}, principal: partner(['ml']) };
    expect(cache.keyOf(raw)).toBeUndefined();
    const parsed = cache.keyOf(id(partner(['ml']), {}, text));
    expect(parsed).toBeDefined();
    expect(cache.keyOf(raw)).toBe(parsed);
  });
});
