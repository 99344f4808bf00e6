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
  app.use(
    helmet({
      // Browsers on another origin may read responses when CORS allows them; CORP would block no-cors reads.
      crossOriginResourcePolicy: { policy: crossOrigin ? 'cross-origin' : 'same-origin' },
    }),
  );
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
