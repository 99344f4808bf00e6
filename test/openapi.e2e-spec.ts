import { createHash } from 'node:crypto';
import SwaggerParser from '@apidevtools/swagger-parser';
import type { OpenAPIV3 } from 'openapi-types';
import { type RunningApp, startApp } from './harness/app';
import { restRoutes } from './harness/rest-routes';

const start = (env: Record<string, string>): Promise<RunningApp> =>
  startApp({ LOG_LEVEL: 'error', ANALYZER_ENABLED: 'false', ...env });

const PRODUCTION = {
  NODE_ENV: 'production',
  DATA_SOURCE: 'simulated',
  API_KEYS: JSON.stringify([
    { name: 'ops', sha256: createHash('sha256').update('kc_openapi_1').digest('hex'), role: 'admin' },
  ]),
};

/** The Swagger UI page and its own assets: the document describes the others, not itself. */
const DOCS_ROUTE = /^\/docs(-json|\/|$)/;

describe('OpenAPI for the REST routes', () => {
  let dev: RunningApp;
  let prod: RunningApp;
  let prodOn: RunningApp;
  let document: OpenAPIV3.Document;

  beforeAll(async () => {
    dev = await start({});
    prod = await start(PRODUCTION);
    prodOn = await start({ ...PRODUCTION, OPENAPI: 'true' });
    const res = await fetch(`${dev.url}/docs-json`);
    expect(res.status).toBe(200);
    document = (await res.json()) as OpenAPIV3.Document;
  });
  afterAll(async () => {
    await Promise.all([dev, prod, prodOn].map((a) => a?.app.close()));
  });

  it('serves /docs-json as a valid OpenAPI 3 document (validated offline by swagger-parser)', async () => {
    expect(document.openapi).toMatch(/^3\./);
    // validate() dereferences a copy; the document has no external $ref, so nothing is fetched.
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
  });

  it('lists every route Express registers, with its method', () => {
    const routes = restRoutes(dev.app).filter((r) => !DOCS_ROUTE.test(r.path));
    expect(routes.length).toBeGreaterThan(10);
    const missing = routes.filter((r) => {
      const path = r.path.replace(/:(\w+)/g, '{$1}');
      return !(document.paths[path] as Record<string, unknown> | undefined)?.[r.method.toLowerCase()];
    });
    expect(missing).toEqual([]);
    for (const seed of [
      '/health',
      '/api/healthz',
      '/api/v1/system/version',
      '/api/v1/system/metrics',
      '/api/v1/monitoring/stream/power',
    ])
      expect(Object.keys(document.paths)).toContain(seed);
  });

  /** A parameter's enum, inline or behind the named schema @nestjs/swagger references. */
  function enumOf(schema: OpenAPIV3.ParameterObject['schema']): unknown[] | undefined {
    const s = schema as OpenAPIV3.SchemaObject & { $ref?: string };
    const ref = s.$ref ?? (s.allOf?.[0] as OpenAPIV3.ReferenceObject | undefined)?.$ref;
    if (!ref) return s.enum;
    return (document.components!.schemas![ref.split('/').pop()!] as OpenAPIV3.SchemaObject).enum;
  }

  it('documents the export query parameters, the dataset path parameter and the SSE stream', () => {
    const exportOp = document.paths['/api/v1/export/{dataset}']!.get!;
    const params = (exportOp.parameters ?? []) as OpenAPIV3.ParameterObject[];
    const query = params
      .filter((p) => p.in === 'query')
      .map((p) => p.name)
      .sort();
    expect(query).toEqual([
      'cluster',
      'clusterLabel',
      'format',
      'from',
      'lineEnding',
      'namespace',
      'node',
      'period',
      'source',
      'step',
      'to',
      'uuid',
    ]);
    const dataset = params.find((p) => p.in === 'path' && p.name === 'dataset')!;
    expect((dataset.schema as OpenAPIV3.SchemaObject).enum).toEqual([
      'gpus',
      'scores',
      'power',
      'node-power',
      'metrics',
      'report',
    ]);
    expect(enumOf(params.find((p) => p.name === 'format')!.schema)).toContain('parquet');
    expect(enumOf(params.find((p) => p.name === 'period')!.schema)).toEqual(['1h', '24h', '7d']);
    expect(enumOf(params.find((p) => p.name === 'source')!.schema)).toEqual([
      'gpu',
      'node',
      'pod',
      'ipmi',
      'unified',
    ]);
    const sse = document.paths['/api/v1/monitoring/stream/power']!.get!;
    expect(((sse.parameters ?? []) as OpenAPIV3.ParameterObject[]).map((p) => p.name).sort()).toEqual([
      'cluster',
      'groupBy',
      'intervalSeconds',
    ]);
    expect(Object.keys((sse.responses['200'] as OpenAPIV3.ResponseObject).content ?? {})).toContain(
      'text/event-stream',
    );
  });

  it('declares bearer, X-API-Key and Basic; probes need none, /metrics takes its token, data routes a key', () => {
    expect(document.components?.securitySchemes).toMatchObject({
      bearer: { type: 'http', scheme: 'bearer' },
      apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
      basic: { type: 'http', scheme: 'basic' },
    });
    expect(document.paths['/health/live']!.get!.security).toEqual([]);
    expect(document.paths['/api/healthz']!.get!.security).toEqual([]);
    expect(document.paths['/api/v1/system/metrics']!.get!.security).toEqual([
      {},
      { metricsToken: [] },
      { bearer: [] },
      { apiKey: [] },
      { basic: [] },
    ]);
    expect(document.paths['/api/v1/export/{dataset}']!.get!.security).toEqual([
      { bearer: [] },
      { apiKey: [] },
      { basic: [] },
    ]);
  });

  it('serves /docs from node_modules: no external asset, every asset loads, no online validator', async () => {
    const res = await fetch(`${dev.url}/docs`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).not.toMatch(/(?:src|href)="(?:https?:)?\/\//);
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map(
      (m) => new URL(m[1]!, `${dev.url}/docs`).href,
    );
    expect(refs.length).toBeGreaterThanOrEqual(3);
    for (const ref of refs) {
      expect(ref.startsWith(dev.url)).toBe(true);
      expect({ ref, status: (await fetch(ref)).status }).toEqual({ ref, status: 200 });
    }
    const init = await (await fetch(`${dev.url}/docs/swagger-ui-init.js`)).text();
    expect(init).toMatch(/"validatorUrl":\s*null/);
  });

  it('is off in production by default, like GraphiQL, and OPENAPI=true turns it on', async () => {
    expect((await fetch(`${prod.url}/docs-json`)).status).toBe(404);
    expect((await fetch(`${prod.url}/docs`)).status).toBe(404);
    expect((await fetch(`${prodOn.url}/docs-json`)).status).toBe(200);
  });
});
