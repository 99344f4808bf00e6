import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '@kcloud/common';
import { logFormatOf } from './logger.params';

/** Says once, at start, that LOG_FORMAT=pretty fell back to JSON (pino-pretty is a dev dependency only). */
@Injectable()
export class LogFormatNotice implements OnApplicationBootstrap {
  private readonly logger = new Logger('Logging');

  constructor(private readonly config: AppConfig) {}

  onApplicationBootstrap(): void {
    const format = logFormatOf(this.config);
    if (format.requested === 'pretty' && !format.pretty)
      this.logger.warn(
        'LOG_FORMAT=pretty needs the dev dependency pino-pretty, which is not installed: logging JSON',
      );
  }
}
