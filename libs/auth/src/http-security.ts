import type { IncomingMessage, ServerResponse } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import type { AppConfig } from '@kcloud/common';
import { authSettingsOf } from './auth-settings';

/**
 * Security headers (helmet), CORS from CORS_ORIGINS and the request body limit. Called by apps/api's bootstrap
 * before the app initialises, so the headers are on every response, errors and probes included. CORS is off unless
 * CORS_ORIGINS lists origins; `*` answers a literal `*` (never the caller's origin reflected, never credentials).
 */
export function applyHttpSecurity(app: INestApplication, config: AppConfig): void {
  const settings = authSettingsOf(config);
  const crossOrigin = settings.corsOrigins !== false;
  app.use(helmet(helmetOptionsOf(crossOrigin)));
  if (crossOrigin)
    app.enableCors({
      origin: settings.corsOrigins === true ? '*' : [...(settings.corsOrigins as readonly string[])],
      credentials: false,
      allowedHeaders: ['Authorization', 'X-API-Key', 'Content-Type', 'Accept', 'Last-Event-ID'],
      exposedHeaders: ['Retry-After', 'Content-Disposition', 'X-RateLimit-Limit', 'X-RateLimit-Remaining'],
      maxAge: 600,
    });
  (app as NestExpressApplication).useBodyParser('json', { limit: settings.bodyLimitBytes });
}

function helmetOptionsOf(crossOrigin: boolean): Parameters<typeof helmet>[0] {
  // Browsers on another origin may read responses when CORS allows them; CORP would block no-cors reads.
  return { crossOriginResourcePolicy: { policy: crossOrigin ? 'cross-origin' : 'same-origin' } };
}

/**
 * The headers applyHttpSecurity's middleware puts on every response, computed once (helmet's are the same for every
 * request), for answers sent before Express (response-cache hits). Undefined when CORS is on: its headers depend on
 * the request's Origin, so those answers go through Express.
 */
export function securityHeadersOf(config: AppConfig): [string, string][] | undefined {
  if (authSettingsOf(config).corsOrigins !== false) return undefined;
  const headers = new Map<string, string>();
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) =>
      void headers.set(name.toLowerCase(), Array.isArray(value) ? value.join(', ') : String(value)),
    removeHeader: (name: string) => void headers.delete(name.toLowerCase()),
    getHeader: (name: string) => headers.get(name.toLowerCase()),
  };
  let synchronous = false;
  helmet(helmetOptionsOf(false))(
    { headers: {} } as IncomingMessage,
    recorder as unknown as ServerResponse,
    () => (synchronous = true),
  );
  if (!synchronous) throw new Error('helmet no longer sets its headers synchronously');
  return [...headers];
}
