import {
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
  Optional,
} from '@nestjs/common';
import type Redis from 'ioredis';
import { AppConfig, DomainError, ErrorCode } from '@kcloud/common';
import { createRedisClient } from './redis-client';
import {
  FileStateBackend,
  MemoryStateBackend,
  type StateBackend,
  type StoredDoc,
  StateValue,
} from './state-backends';

export const STATE_KEY_PREFIX = 'kcloud:state:';
export const STATE_CHANGED_CHANNEL = 'kcloud:state:changed';
/** DI token to give SharedState a backend of one's own (tests); by default it picks Redis, STATE_DIR or memory. */
export const STATE_BACKEND = Symbol('STATE_BACKEND');

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
// Puts back a document the store lost (Redis restarted empty): only while the stored version is lower, so replicas
// restoring what each last saw converge on the newest, and a write made meanwhile is never overwritten.
const RESTORE = `
local v = tonumber(redis.call('hget', KEYS[1], 'version') or '0')
if v >= tonumber(ARGV[1]) then return 0 end
redis.call('hset', KEYS[1], 'version', ARGV[1], 'value', ARGV[2])
redis.call('publish', KEYS[2], ARGV[3] .. ':' .. ARGV[1])
return 1`;

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

  async read(name: string): Promise<StoredDoc | undefined> {
    const [version, text] = await this.redis.hmget(STATE_KEY_PREFIX + name, 'version', 'value');
    return version && text ? { version: Number(version), text } : undefined;
  }

  async compareAndSet(name: string, expected: number, doc: StateValue): Promise<CasResult> {
    const [ok, version] = (await this.redis.eval(
      CAS,
      2,
      STATE_KEY_PREFIX + name,
      STATE_CHANGED_CHANNEL,
      String(expected),
      doc.text,
      name,
    )) as [number, number];
    return { ok: ok === 1, version } as CasResult;
  }

  async restore(name: string, version: number, doc: StateValue): Promise<boolean> {
    const done = await this.redis.eval(
      RESTORE,
      2,
      STATE_KEY_PREFIX + name,
      STATE_CHANGED_CHANNEL,
      String(version),
      doc.text,
      name,
    );
    return done === 1;
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
 *
 * Versions never go back. Each replica remembers the newest version of every document it read or wrote; when the
 * store answers with an older one (Redis restarted without persistence, a key evicted), the replica puts its copy
 * back at its version (RESTORE: only over an older one) and logs it. The copy is what the replica already holds: the
 * value it wrote (the analyzer's results, which it keeps anyway; made into text only for a restore) or the text or
 * value the store answered, never a second serialised copy of a value it wrote. Without that, a stored version lower than the
 * one every replica has applied would make their writes fail ("concurrent writers") and their readers ignore new
 * versions until all of them restarted, and the analyzer would number runs from 1 again.
 *
 * A store that does not answer makes every operation fail with STATE_UNAVAILABLE (a clear message naming the
 * document; nothing was written), never a silent loss.
 */
@Injectable()
export class SharedState implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(SharedState.name);
  private readonly backend: StateBackend;
  /** The newest version (and the copy to restore: as read, or the value written) this replica read or wrote. */
  private readonly known = new Map<string, StoredDoc>();
  /** The newest version announced per document (any replica's write): a copy older than that is not restored. */
  private readonly announced = new Map<string, number>();

  constructor(config: AppConfig, @Optional() @Inject(STATE_BACKEND) backend?: StateBackend) {
    const url = config.cache.redisUrl;
    const dir = config.env.STATE_DIR;
    this.backend =
      backend ??
      (url
        ? new RedisStateBackend(createRedisClient(url, 'state'), url)
        : dir
          ? new FileStateBackend(dir)
          : new MemoryStateBackend());
    this.backend.onChange((name, version) => this.heard(name, version));
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
  async readVersion(name: string): Promise<number> {
    const version = await this.guard(name, () => this.backend.readVersion(name));
    return this.restorable(name, version) ? this.restore(name) : version;
  }

  async read<T>(name: string): Promise<VersionedDoc<T> | undefined> {
    let doc = await this.guard(name, () => this.backend.read(name));
    if (this.restorable(name, doc?.version ?? 0)) {
      await this.restore(name);
      doc = await this.guard(name, () => this.backend.read(name));
    }
    if (!doc) return undefined;
    this.remember(name, doc);
    return { version: doc.version, value: valueOf(doc) as T };
  }

  /**
   * Writes `value` as version `expected + 1` unless the stored version is no longer `expected`. `value` is plain JSON
   * data and is not changed afterwards (a store in this process, and the restore copy, keep this very object).
   */
  async compareAndSet<T>(name: string, expected: number, value: T): Promise<CasResult> {
    const doc = StateValue.of(value);
    let result = await this.guard(name, () => this.backend.compareAndSet(name, expected, doc));
    // Refused because the store lost the document this writer read: put it back and write on top of it.
    if (!result.ok && this.restorable(name, result.version) && (await this.restore(name)) === expected)
      result = await this.guard(name, () => this.backend.compareAndSet(name, expected, doc));
    if (result.ok) this.remember(name, { version: result.version, value });
    return result as CasResult;
  }

  /** Called with the new version when any replica (this one included) commits `name`. */
  onChange(name: string, listener: (version: number) => void): void {
    this.backend.onChange((changed, version) => {
      if (changed === name) listener(version);
    });
  }

  /**
   * A write announced below the copy kept here means the store restarted and another replica already writes on it:
   * that copy belongs to a history that ended, and is never put back over the new one.
   */
  private heard(name: string, version: number): void {
    if (version < this.knownVersion(name)) {
      this.known.delete(name);
      this.announced.set(name, version);
    } else this.announced.set(name, Math.max(version, this.announced.get(name) ?? 0));
  }

  /** Only a copy as new as anything announced is worth restoring (a follower may hold an outdated one). */
  private restorable(name: string, stored: number): boolean {
    const mine = this.knownVersion(name);
    return mine > stored && mine >= (this.announced.get(name) ?? 0);
  }

  private knownVersion(name: string): number {
    return this.known.get(name)?.version ?? 0;
  }

  private remember(name: string, doc: StoredDoc): void {
    if (doc.version >= this.knownVersion(name)) this.known.set(name, doc);
  }

  /** Puts this replica's copy back; resolves with the version now in force (its own, or a newer one stored meanwhile). */
  private async restore(name: string): Promise<number> {
    const mine = this.known.get(name)!;
    const stored = await this.guard(name, () => this.backend.read(name));
    if ((stored?.version ?? 0) >= mine.version) {
      if (stored) this.remember(name, stored);
      return stored!.version;
    }
    const copy = 'text' in mine ? StateValue.parsed(mine.text) : StateValue.of(mine.value);
    const restored = await this.guard(name, () => this.backend.restore(name, mine.version, copy));
    if (restored)
      this.logger.warn(
        `shared state '${name}' was at version ${stored?.version ?? 0} (lost: ${this.backend.kind} restarted empty?); restored this replica's version ${mine.version}`,
      );
    return this.guard(name, () => this.backend.readVersion(name));
  }

  /** A store that fails or does not answer: STATE_UNAVAILABLE, naming the document; nothing was written. */
  private async guard<R>(name: string, call: () => Promise<R>): Promise<R> {
    try {
      return await call();
    } catch (e) {
      throw new DomainError(
        ErrorCode.STATE_UNAVAILABLE,
        `shared state store (${this.backend.kind}) unavailable: '${name}' was not read or changed (${(e as Error).message}); retry when it is back`,
        { store: this.backend.kind, document: name },
      );
    }
  }
}

/** The value of a stored document: parsed from the store's text (ISO dates as Dates), or the value a local store keeps. */
function valueOf(doc: StoredDoc): unknown {
  return 'text' in doc ? StateValue.parsed(doc.text).value : doc.value;
}
