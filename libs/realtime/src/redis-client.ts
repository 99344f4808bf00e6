import { Logger } from '@nestjs/common';
import Redis from 'ioredis';

/** Every Redis command of the realtime library gives up after this, so a dead Redis never hangs a cycle or a publish. */
export const REDIS_COMMAND_TIMEOUT_MS = 2000;
/** While Redis stays down, a client repeats its error at most this often (it reconnects about every second). */
const REPEAT_ERROR_EVERY_MS = 60_000;

/**
 * One ioredis client with the API's deadlines. Commands wait for the first connection (the boot order does not
 * matter), but once a connection is lost they fail at once until ioredis has reconnected: callers that degrade (rate
 * limits admit, the leader lock steps down, shared state answers STATE_UNAVAILABLE) do so without each request first
 * waiting for a reconnect attempt (about 1.5 s per Redis call, measured, before this).
 */
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
  let everReady = false;
  // ioredis reconnects by itself; an unhandled 'error' event would crash the process instead.
  client.on('error', (e: Error) => {
    const now = Date.now();
    failingSince ??= now;
    if (now - lastLogged < REPEAT_ERROR_EVERY_MS) return;
    lastLogged = now;
    logger.warn(`${name}: ${e.message} (retrying)`);
  });
  client.on('close', () => {
    if (everReady) client.options.enableOfflineQueue = false;
  });
  client.on('ready', () => {
    everReady = true;
    client.options.enableOfflineQueue = true;
    if (failingSince === undefined) return;
    logger.log(`${name}: connected again after ${Math.round((Date.now() - failingSince) / 1000)} s`);
    failingSince = undefined;
    lastLogged = 0;
  });
  // QUIT needs the connection: without it (Redis down) ioredis would reject it (no offline queue, above) and keep
  // reconnecting, so a shutdown during an outage never let the process exit. Not connected: end the client at once.
  const quit = client.quit.bind(client) as () => Promise<'OK'>;
  Object.defineProperty(client, 'quit', {
    configurable: true,
    value: (): Promise<'OK'> => {
      if (client.status === 'ready') return quit();
      client.disconnect();
      return Promise.resolve('OK');
    },
  });
  return client;
}
