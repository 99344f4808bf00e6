import type { GraphQLResponse } from './graphql-client';

/** Error codes that mean the server failed rather than answered: never acceptable for a well-formed probe. */
export const SERVER_FAILURE_CODES = new Set([
  'INTERNAL',
  'INTERNAL_SERVER_ERROR',
  'CLUSTER_UNAVAILABLE',
  'UPSTREAM_ERROR',
  'UPSTREAM_TIMEOUT',
]);

export function codesOf(res: GraphQLResponse<unknown>): string[] {
  return (res.errors ?? []).map((e) => String(e.extensions?.code ?? 'NO_CODE'));
}

/**
 * Connections must count what they list: a connection read to its end (`hasNextPage: false`) with a `totalCount`
 * different from its number of edges counts items the caller cannot see (or lost some).
 */
export function totalsMismatches(value: unknown, path = '$'): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => totalsMismatches(v, `${path}[${i}]`));
  if (typeof value !== 'object' || value === null) return [];
  const o = value as Record<string, unknown>;
  const own: string[] = [];
  const page = o.pageInfo as { hasNextPage?: boolean } | undefined;
  if (
    typeof o.totalCount === 'number' &&
    Array.isArray(o.edges) &&
    page?.hasNextPage === false &&
    o.totalCount !== o.edges.length
  )
    own.push(`${path}: totalCount ${o.totalCount} but ${o.edges.length} edges`);
  return [...own, ...Object.entries(o).flatMap(([k, v]) => totalsMismatches(v, `${path}.${k}`))];
}

/** Every connection's totalCount in a response, by JSON path. */
export function totalCounts(value: unknown, path = '$'): Map<string, number> {
  const out = new Map<string, number>();
  const walk = (v: unknown, p: string): void => {
    if (Array.isArray(v)) return v.forEach((x, i) => walk(x, `${p}[${i}]`));
    if (typeof v !== 'object' || v === null) return;
    for (const [k, x] of Object.entries(v)) {
      if (k === 'totalCount' && typeof x === 'number') out.set(p, x);
      walk(x, `${p}.${k}`);
    }
  };
  walk(value, path);
  return out;
}

/** A response with the probe value replaced and timestamps blanked, for "indistinguishable" comparisons. */
export function normalized(res: GraphQLResponse<unknown>, value: string): string {
  return JSON.stringify({
    data: res.data ?? null,
    errors: (res.errors ?? []).map((e) => ({ message: e.message, code: e.extensions?.code })),
  })
    .split(JSON.stringify(value).slice(1, -1))
    .join('«value»')
    .replace(/\d{4}-\d\d-\d\dT\d\d(:|%3A)\d\d(:|%3A)\d\d(\.\d+)?Z/g, '«time»');
}
