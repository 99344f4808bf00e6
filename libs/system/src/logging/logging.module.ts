import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '@kcloud/common';
import { AuditInterceptor } from './audit.interceptor';
import { LogFormatNotice } from './log-format.notice';
import { loggerParams } from './logger.params';

/**
 * Structured logs: pino JSON lines (LOG_FORMAT=pretty in development), an X-Request-Id on every request and in every
 * line logged while serving it (Nest's Logger included, once bootstrap hands Nest nestjs-pino's Logger), an access
 * line per request and an audit line per mutation. Imported first by the app so its middleware runs first.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => loggerParams(config),
    }),
  ],
  providers: [LogFormatNotice, { provide: APP_INTERCEPTOR, useClass: AuditInterceptor }],
})
export class LoggingModule {}
