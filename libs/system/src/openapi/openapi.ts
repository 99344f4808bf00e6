import type { INestApplication } from '@nestjs/common';
import { PATH_METADATA, METHOD_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { type AppConfig, IS_PUBLIC_KEY, METRICS_ENDPOINT_KEY } from '@kcloud/common';
import { APP_VERSION } from '../version';

export const OPENAPI_PATH = 'docs';
export const OPENAPI_JSON_PATH = 'docs-json';

/** The OpenAPI page follows GRAPHIQL's rule: on by default in development, off in production unless OPENAPI=true. */
export function openApiEnabled(config: AppConfig): boolean {
  return config.env.OPENAPI ?? config.server.nodeEnv !== 'production';
}

/** Security requirements per route, decided by the same marks the access guard reads (never by path strings). */
type Access = 'public' | 'metrics' | 'key';

interface RouteAccess {
  readonly method: string;
  readonly path: string;
  readonly access: Access;
}

/** Every controller route with its access mark, in OpenAPI's path syntax (`/api/v1/export/{dataset}`). */
function routeAccess(app: INestApplication): RouteAccess[] {
  const out: RouteAccess[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const cls = wrapper.metatype as (new (...a: never[]) => unknown) | undefined;
      if (!cls?.prototype) continue;
      const base = String(Reflect.getMetadata(PATH_METADATA, cls) ?? '');
      const classMark = (key: string): boolean => Reflect.getMetadata(key, cls) === true;
      let proto: object | null = cls.prototype as object;
      const seen = new Set<string>();
      while (proto && proto !== Object.prototype) {
        for (const name of Object.getOwnPropertyNames(proto)) {
          if (seen.has(name) || name === 'constructor') continue;
          const handler = (proto as Record<string, unknown>)[name];
          if (typeof handler !== 'function') continue;
          const sub = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
          const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
          if (sub === undefined || method === undefined) continue;
          seen.add(name);
          const mark = (key: string): boolean => Reflect.getMetadata(key, handler) === true || classMark(key);
          const access: Access = mark(IS_PUBLIC_KEY)
            ? 'public'
            : mark(METRICS_ENDPOINT_KEY)
              ? 'metrics'
              : 'key';
          for (const s of Array.isArray(sub) ? sub : [sub]) {
            const joined = `/${[base, s]
              .map((p) => p.replace(/^\/+|\/+$/g, ''))
              .filter(Boolean)
              .join('/')}`;
            out.push({
              method: RequestMethod[method].toLowerCase(),
              path: joined.replace(/:(\w+)/g, '{$1}'),
              access,
            });
          }
        }
        proto = Object.getPrototypeOf(proto) as object | null;
      }
    }
  }
  return out;
}

/** The OpenAPI 3 document of the REST routes, with the API's three credential forms and the metrics token. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const options = new DocumentBuilder()
    .setTitle('kcloud-monitor REST')
    .setDescription(
      'The REST side of kcloud-monitor: exports, the live power stream (SSE, and a plain WebSocket on the same path), ' +
        'probes, version and Prometheus metrics. Everything else is GraphQL at /graphql.',
    )
    .setVersion(APP_VERSION)
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', description: 'An API key: `Authorization: Bearer <key>`' },
      'bearer',
    )
    .addApiKey(
      { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'An API key in `X-API-Key`' },
      'apiKey',
    )
    .addBasicAuth(
      { type: 'http', scheme: 'basic', description: 'API_AUTH_USERNAME / API_AUTH_PASSWORD (admin)' },
      'basic',
    )
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        description:
          'METRICS_TOKEN when set (then never an API key). Without it: an admin credential in production with ' +
          'credentials configured, open otherwise or with METRICS_PUBLIC=true',
      },
      'metricsToken',
    )
    .build();
  const document = SwaggerModule.createDocument(app, options);
  const requirements: Record<Access, Record<string, string[]>[]> = {
    public: [],
    metrics: [{}, { metricsToken: [] }, { bearer: [] }, { apiKey: [] }, { basic: [] }],
    key: [{ bearer: [] }, { apiKey: [] }, { basic: [] }],
  };
  for (const route of routeAccess(app)) {
    const operation = (document.paths[route.path] as Record<string, { security?: unknown }> | undefined)?.[
      route.method
    ];
    if (operation) operation.security = requirements[route.access];
  }
  return document;
}

/**
 * `/docs` (Swagger UI, its assets from the swagger-ui-dist package in node_modules: no CDN) and `/docs-json`. The
 * online validator badge is off: it would send the document to validator.swagger.io.
 */
export function setupOpenApi(app: INestApplication, config: AppConfig): void {
  if (!openApiEnabled(config)) return;
  SwaggerModule.setup(OPENAPI_PATH, app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: OPENAPI_JSON_PATH,
    raw: ['json'],
    customSiteTitle: 'kcloud-monitor REST',
    swaggerOptions: { validatorUrl: null, persistAuthorization: false },
  });
}
