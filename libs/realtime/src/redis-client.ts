import { Logger } from '@nestjs/common';
import Redis from 'ioredis';

/** Every Redis command of the realtime library gives up after this, so a dead Redis never hangs a cycle or a publish. */
export const REDIS_COMMAND_TIMEOUT_MS = 2000;
/** While Redis stays down, a client repeats its error at most this often (it reconnects about every second). */
const REPEAT_ERROR_EVERY_MS = 60_000;

export function createRedisClient(url: string, name: string): Redis {
  const client = new Redis(url, {
    connectionName: `kcloud-${name}`,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    connectTimeout: REDIS_COMMAND_TIMEOUT_MS,
    maxRetriesPerRequest: 1,
  });
  const logger = new Logger('Redis');
  let failingSince: number | undefined;
  let lastLogged = 0;
  // ioredis reconnects by itself; an unhandled 'error' event would crash the process instead.
  client.on('error', (e: Error) => {
    const now = Date.now();
    failingSince ??= now;
    if (now - lastLogged < REPEAT_ERROR_EVERY_MS) return;
    lastLogged = now;
    logger.warn(`${name}: ${e.message} (retrying)`);
  });
  client.on('ready', () => {
    if (failingSince === undefined) return;
    logger.log(`${name}: connected again after ${Math.round((Date.now() - failingSince) / 1000)} s`);
    failingSince = undefined;
    lastLogged = 0;
  });
  return client;
}
