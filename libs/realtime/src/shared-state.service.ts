import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type Redis from 'ioredis';
import { AppConfig } from '@kcloud/common';
import { reviveDates } from './pub-sub.provider';
import { createRedisClient } from './redis-client';
import { FileStateBackend, MemoryStateBackend, type StateBackend } from './state-backends';

export const STATE_KEY_PREFIX = 'kcloud:state:';
export const STATE_CHANGED_CHANNEL = 'kcloud:state:changed';

/** One named document as stored: its version (0 = never written) and value. */
export interface VersionedDoc<T> {
  readonly version: number;
  readonly value: T;
}

export type CasResult =
  | { readonly ok: true; readonly version: number }
  | { readonly ok: false; readonly version: number };

// Compare-and-set in one step on the server: a writer that read version N may write N+1 only while the key still holds
// N, so a stale writer (another replica committed meanwhile) is refused instead of overwriting. The notification is
// published by the same script, so no replica sees a new version without its message following.
const CAS = `
local v = tonumber(redis.call('hget', KEYS[1], 'version') or '0')
if v ~= tonumber(ARGV[1]) then return {0, v} end
redis.call('hset', KEYS[1], 'version', v + 1, 'value', ARGV[2])
redis.call('publish', KEYS[2], ARGV[3] .. ':' .. (v + 1))
return {1, v + 1}`;

class RedisStateBackend implements StateBackend {
  readonly kind = 'redis' as const;
  private readonly subscriber: Redis;
  private readonly listeners = new Set<(name: string, version: number) => void>();

  constructor(
    private readonly redis: Redis,
    url: string,
  ) {
    this.subscriber = createRedisClient(url, 'state-subscriber');
    this.subscriber.on('message', (_channel: string, message: string) => {
      const at = message.lastIndexOf(':');
      const version = Number(message.slice(at + 1));
      for (const l of this.listeners) l(message.slice(0, at), version);
    });
  }

  async start(): Promise<void> {
    await this.subscriber.subscribe(STATE_CHANGED_CHANNEL).catch(() => undefined);
  }

  async readVersion(name: string): Promise<number> {
    return Number((await this.redis.hget(STATE_KEY_PREFIX + name, 'version')) ?? 0);
  }

  async read(name: string): Promise<{ version: number; text: string } | undefined> {
    const [version, text] = await this.redis.hmget(STATE_KEY_PREFIX + name, 'version', 'value');
    return version && text ? { version: Number(version), text } : undefined;
  }

  async compareAndSet(name: string, expected: number, text: string): Promise<CasResult> {
    const [ok, version] = (await this.redis.eval(
      CAS,
      2,
      STATE_KEY_PREFIX + name,
      STATE_CHANGED_CHANNEL,
      String(expected),
      text,
      name,
    )) as [number, number];
    return { ok: ok === 1, version } as CasResult;
  }

  onChange(listener: (name: string, version: number) => void): void {
    this.listeners.add(listener);
  }

  close(): void {
    this.subscriber.disconnect();
    this.redis.disconnect();
  }
}

/**
 * Versioned, named JSON documents shared by the replicas: in Redis when REDIS_URL is set, else one file per document
 * under STATE_DIR, else in memory (lost on restart; said at start). Writes are compare-and-set on the version; a
 * change is announced (Redis pub/sub, or in-process) and readers also re-read on their own schedule as a safety net.
 * Values travel as JSON; ISO dates come back as Dates.
 */
@Injectable()
export class SharedState implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(SharedState.name);
  private readonly backend: StateBackend;

  constructor(config: AppConfig) {
    const url = config.cache.redisUrl;
    const dir = config.env.STATE_DIR;
    this.backend = url
      ? new RedisStateBackend(createRedisClient(url, 'state'), url)
      : dir
        ? new FileStateBackend(dir)
        : new MemoryStateBackend();
  }

  get kind(): StateBackend['kind'] {
    return this.backend.kind;
  }

  async onModuleInit(): Promise<void> {
    const where = {
      redis: 'in Redis (REDIS_URL), shared by every replica',
      file: 'in STATE_DIR (one replica per directory)',
      memory: 'in memory only: set REDIS_URL or STATE_DIR to keep it across restarts',
    }[this.backend.kind];
    this.logger.log(`admin and analyzer state kept ${where}`);
    await this.backend.start();
  }

  onModuleDestroy(): void {
    this.backend.close();
  }

  /** The stored version only (cheap); 0 when the document was never written. */
  readVersion(name: string): Promise<number> {
    return this.backend.readVersion(name);
  }

  async read<T>(name: string): Promise<VersionedDoc<T> | undefined> {
    const doc = await this.backend.read(name);
    return doc && { version: doc.version, value: JSON.parse(doc.text, reviveDates) as T };
  }

  /** Writes `value` as version `expected + 1` unless the stored version is no longer `expected`. */
  compareAndSet<T>(name: string, expected: number, value: T): Promise<CasResult> {
    return this.backend.compareAndSet(name, expected, JSON.stringify(value));
  }

  /** Called with the new version when any replica (this one included) commits `name`. */
  onChange(name: string, listener: (version: number) => void): void {
    this.backend.onChange((changed, version) => {
      if (changed === name) listener(version);
    });
  }
}
