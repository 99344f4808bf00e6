import type { INestApplication } from '@nestjs/common';

export interface RestRoute {
  readonly method: string;
  readonly path: string;
}

interface Layer {
  readonly route?: { readonly path: string; readonly methods: Record<string, boolean> };
}

/** Every route the Express router serves (Apollo's /graphql is middleware, not a route, and is not listed). */
export function restRoutes(app: INestApplication): RestRoute[] {
  const express = app.getHttpAdapter().getInstance() as {
    router?: { stack: Layer[] };
    _router?: { stack: Layer[] };
  };
  const stack = (express.router ?? express._router)?.stack ?? [];
  return stack.flatMap((layer) =>
    layer.route
      ? Object.keys(layer.route.methods).map((m) => ({ method: m.toUpperCase(), path: layer.route!.path }))
      : [],
  );
}

/** `:param` routes expanded with the values the API itself says it accepts (its 400 for a probe value). */
export async function concretePaths(
  baseUrl: string,
  path: string,
  headers: Record<string, string>,
): Promise<string[]> {
  const values: Record<string, string[]> = {};
  for (const [, p] of path.matchAll(/:(\w+)/g))
    values[p!] = await acceptedValues(`${baseUrl}${path.replace(`:${p}`, 'zz-probe')}`, headers);
  return expandRoute(path, values);
}

/** `/api/v1/export/:dataset` → every concrete path, from a table of values per parameter name. */
export function expandRoute(path: string, values: Readonly<Record<string, readonly string[]>>): string[] {
  const param = /:([A-Za-z_]\w*)/.exec(path);
  if (!param) return [path];
  const name = param[1]!; // the pattern's one group is not optional
  const options = values[name];
  if (!options?.length) throw new Error(`no test values for route parameter :${name} of ${path}`);
  return options.flatMap((v) => expandRoute(path.replace(param[0], encodeURIComponent(v)), values));
}

export interface RouteResponse {
  readonly status: number;
  readonly contentType: string;
  readonly headers: Headers;
  /** Text bodies as text, binary ones as latin1 (names still show as bytes), an SSE stream as what arrived. */
  readonly body: string;
  /** SSE only: the `data:` payloads received before the read window closed. */
  readonly events: readonly string[];
}

/**
 * GETs a route with a deadline. A `text/event-stream` answer is read for `sseWindowMs` (or until `sseEvents`
 * events arrived) and then aborted, so an endless stream never hangs the test.
 */
export async function getRoute(
  url: string,
  headers: Record<string, string>,
  {
    timeoutMs = 30_000,
    sseWindowMs = 4_000,
    sseEvents = 3,
  }: { timeoutMs?: number; sseWindowMs?: number; sseEvents?: number } = {},
): Promise<RouteResponse> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    const res = await fetch(url, { headers, signal: abort.signal });
    const contentType = res.headers.get('content-type') ?? '';
    if (!contentType.startsWith('text/event-stream') || !res.body) {
      const bytes = Buffer.from(await res.arrayBuffer());
      const text = /json|text|csv/.test(contentType) ? bytes.toString('utf8') : bytes.toString('latin1');
      return { status: res.status, contentType, headers: res.headers, body: text, events: [] };
    }
    const events: string[] = [];
    let body = '';
    const reader = res.body.getReader();
    const until = Date.now() + sseWindowMs;
    const stop = setTimeout(() => abort.abort(), sseWindowMs);
    try {
      while (Date.now() < until && events.length < sseEvents) {
        const { value, done } = await reader.read();
        if (done) break;
        body += Buffer.from(value).toString('utf8');
        events.splice(0, events.length, ...[...body.matchAll(/^data: ?(.*)$/gm)].map((m) => m[1]!));
      }
    } catch (e) {
      if (!abort.signal.aborted) throw e;
    } finally {
      clearTimeout(stop);
      abort.abort();
    }
    return { status: res.status, contentType, headers: res.headers, body, events };
  } finally {
    clearTimeout(timer);
  }
}

/** The values a parameter accepts, read from the API's own 400 message ("x must be one of a, b, c"). */
export async function acceptedValues(url: string, headers: Record<string, string>): Promise<string[]> {
  const abort = new AbortController();
  const res = await fetch(url, {
    headers,
    signal: AbortSignal.any([abort.signal, AbortSignal.timeout(10_000)]),
  });
  // A route that ignores the parameter may answer with a stream (SSE) that never ends: only a 400 says anything.
  if (res.status !== 400 || !(res.headers.get('content-type') ?? '').includes('json')) {
    abort.abort();
    return [];
  }
  const body = (await res.json().catch(() => ({}))) as { message?: unknown };
  const message = Array.isArray(body.message) ? body.message.join('; ') : String(body.message ?? '');
  const match = /must be one of (?:the following values: )?([\w\s,.-]+)/.exec(message);
  return match
    ? match[1]!
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean)
    : [];
}
