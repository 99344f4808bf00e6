import { Logger } from '@nestjs/common';
import Redis from 'ioredis';

/** Every Redis command of the realtime library gives up after this, so a dead Redis never hangs a cycle or a publish. */
export const REDIS_COMMAND_TIMEOUT_MS = 2000;

export function createRedisClient(url: string, name: string): Redis {
  const client = new Redis(url, {
    connectionName: `kcloud-${name}`,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    connectTimeout: REDIS_COMMAND_TIMEOUT_MS,
    maxRetriesPerRequest: 1,
  });
  const logger = new Logger('Redis');
  // ioredis reconnects by itself; an unhandled 'error' event would crash the process instead.
  client.on('error', (e: Error) => logger.warn(`${name}: ${e.message}`));
  return client;
}
