import { type INestApplication, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { applyHttpSecurity, authSettingsOf } from '@kcloud/auth';
import { type AppConfig, loadConfig } from '@kcloud/common';
import { setupOpenApi } from '@kcloud/system';
import { AppModule } from './app.module';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] as const;

/**
 * Builds the HTTP app from a validated config; shared by main.ts and the e2e suites so tests run what ships.
 * Config is validated before Nest starts so a bad variable ends the process with one line, not a stack.
 */
export async function createApp(config: AppConfig = loadConfig()): Promise<INestApplication> {
  const auth = authSettingsOf(config); // keys and the production credential rule are config too: fail before Nest starts
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config), {
    abortOnError: false,
    logger: [...LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(config.server.logLevel) + 1)],
    // Boot lines wait for pino, so every line of the process is JSON (LoggingModule).
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  // req.ip (access lines, anything Express derives) follows the same proxies as the failed-authentication throttle.
  if (auth.trustProxy) app.set('trust proxy', auth.trustProxy);
  applyHttpSecurity(app, config);
  app.useGlobalPipes(new ValidationPipe({ transform: true, forbidUnknownValues: false }));
  setupOpenApi(app, config);
  // No enableShutdownHooks: main.ts owns SIGTERM (drain, then app.close(), then exit 0); Nest's hook would close the
  // app at once, cutting in-flight exports, and re-raise the signal (exit code 143).
  return app;
}
