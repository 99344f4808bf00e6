import { type FactoryProvider, Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { PubSub, type PubSubEngine } from 'graphql-subscriptions';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import type Redis from 'ioredis';
import { AppConfig } from '@kcloud/common';
import { createRedisClient } from './redis-client';

/** DI token of the process' PubSubEngine (never a module-level `new PubSub()`). */
export const PUB_SUB = Symbol('PUB_SUB');

// Redis carries JSON: Dates travel as ISO strings and come back as Dates, so payloads look the same on every replica.
const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;
export const reviveDates = (_key: string, value: unknown): unknown =>
  typeof value === 'string' && ISO_DATE.test(value) ? new Date(value) : value;

/**
 * In-memory PubSub for one replica; with REDIS_URL a Redis PubSub, so an event published on any replica reaches the
 * subscribers of all of them.
 */
export const pubSubProvider: FactoryProvider<PubSubEngine> = {
  provide: PUB_SUB,
  inject: [AppConfig],
  useFactory: (config: AppConfig): PubSubEngine => {
    const url = config.cache.redisUrl;
    if (!url) return new PubSub();
    new Logger('Realtime').log('PubSub over Redis (events reach every replica)');
    return new RedisPubSub({
      publisher: createRedisClient(url, 'pubsub-publisher'),
      subscriber: withHandledUnsubscribe(createRedisClient(url, 'pubsub-subscriber')),
      reviver: reviveDates,
    });
  },
};

/**
 * graphql-redis-subscriptions sends UNSUBSCRIBE / PUNSUBSCRIBE without awaiting them (when the last subscriber of a
 * trigger leaves). During a Redis outage their rejections were unhandled and ended the process; here they are
 * handled and logged. The subscription is gone locally either way, and Redis drops a dead connection's channels.
 */
export function withHandledUnsubscribe(client: Redis): Redis {
  const logger = new Logger('Realtime');
  for (const command of ['unsubscribe', 'punsubscribe'] as const) {
    const send = client[command].bind(client) as (...args: unknown[]) => Promise<unknown>;
    Object.defineProperty(client, command, {
      configurable: true,
      value: (...args: unknown[]) => {
        const sent = send(...args);
        sent.catch((e: Error) => logger.warn(`${command} failed: ${e.message}`));
        return sent;
      },
    });
  }
  return client;
}

/** Closes the Redis connections of a RedisPubSub at shutdown (the in-memory one holds nothing). */
@Injectable()
export class PubSubCloser implements OnApplicationShutdown {
  constructor(@Inject(PUB_SUB) private readonly pubSub: PubSubEngine) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.pubSub instanceof RedisPubSub) await this.pubSub.close().catch(() => undefined);
  }
}
