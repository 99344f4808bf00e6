import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { DocumentNode, GraphQLSchema } from 'graphql';
import { print } from 'graphql';
import { AppConfig, Clock, type Principal, type TenantScope } from '@kcloud/common';
import { CacheService } from './cache.service';
import { entityHeadersOf } from './cached-answer-http';
import { DataVersions } from './data-versions';
import { selectedTypes } from './selected-types';
import { SingleFlight } from './single-flight';

/**
 * A cached answer as it went over HTTP: the bytes Apollo sent for a query that ran without errors, their strong ETag,
 * when the entry expires, and what the query was charged (so a hit served before Apollo is charged the same).
 */
export interface StoredAnswer {
  /** `{"data":…}` and a newline, exactly Apollo's body. */
  readonly body: string;
  readonly etag: string;
  readonly expiresAtMs: number;
  /** The operation's upstream units (admission's one unit included); undefined: unknown, never served before Apollo. */
  readonly upstreamUnits?: number;
}

/** A stored answer held in this process, with its body already encoded for the socket. */
export interface CachedAnswer extends StoredAnswer {
  readonly bytes: Buffer;
  /** ETag, Content-Type and Content-Length of the bytes as writeHead's flat name/value list: made once, sent per hit. */
  readonly entityHeaders: readonly string[];
}

/** What identifies an answer besides the data version: the document, its variables and who may see what. */
export interface AnswerIdentity {
  /** The raw query text: memoises the normalised (printed) form per distinct text. */
  readonly query?: string;
  /** The parsed document (Apollo's path); without it only a text seen parsed before has a key. */
  readonly document?: DocumentNode;
  readonly operationName?: string | null;
  readonly variables?: Readonly<Record<string, unknown>>;
  readonly principal?: Principal;
  /** The schema the document runs against: which types it selects (answers a narrow mutation leaves alone). */
  readonly schema?: GraphQLSchema;
}

/** A document's normalised text, and the output types it selects (undefined: not known, counts as all). */
interface Normalised {
  readonly text: string;
  readonly types?: readonly string[];
}

/** Bounded memo of printed documents (distinct query texts are few; a flood of distinct ones only costs prints). */
const MAX_PRINTED = 1000;
/** This process's hot entries: a hit reads a Map, not the store (Redis or Keyv's), and sends bytes encoded once. */
export const MAX_HOT_ENTRIES = 2000;
export const MAX_HOT_BYTES = 64 * 1024 * 1024;
/** Identities whose key is remembered: as many as answers held hot (each holds its document's text). */
const MAX_KEYS = MAX_HOT_ENTRIES;

export const MUTATIONS = 'mutation';

/**
 * How long a request waits for an identical execution under way before executing itself: far above an execution's
 * time on a sound host (milliseconds to a second at 10k GPUs), so only a stuck leader releases its waiters this way.
 */
export const FLIGHT_WAIT_MS = 10_000;

/**
 * Whole GraphQL answers on `@kcloud/cache` (Redis when REDIS_URL is set, memory otherwise), with the entries this
 * process stored or read kept hot beside it. A key is the normalised document + operation + variables + the caller's
 * role and effective scope + the data version token, hashed: two callers share an answer only when they may see
 * exactly the same thing, and a refresh (analysis installed, snapshot re-read, any mutation) changes the token, so
 * older answers are never read again and expire by TTL.
 */
@Injectable()
export class ResponseCache {
  readonly enabled: boolean;
  readonly ttlSeconds: number;
  private readonly printed = new Map<string, Normalised>();
  /** Keys of the identities asked for lately: hashing is most of a key's cost, and hits ask for the same few. */
  private readonly keys = new Map<string, string>();
  private readonly hot = new Map<string, CachedAnswer>();
  private hotBytes = 0;
  /** Executions under way per key: identical concurrent misses (all of them, right after a refresh) execute once. */
  private readonly flights = new SingleFlight<CachedAnswer>(FLIGHT_WAIT_MS);

  constructor(
    private readonly cache: CacheService,
    private readonly versions: DataVersions,
    config: AppConfig,
    private readonly clock: Clock,
  ) {
    // Answers hold live readings: never kept longer than the realtime class keeps the snapshot they were built from.
    this.ttlSeconds = Math.min(config.env.RESPONSE_CACHE_TTL_SECONDS, config.cache.ttlSeconds.realtime);
    this.enabled = config.env.RESPONSE_CACHE_ENABLED && this.ttlSeconds > 0;
  }

  /** The key of an answer; undefined when only the text is known and it was never parsed here (not cached yet). */
  keyOf(id: AnswerIdentity): string | undefined {
    const normalised = this.normalised(id);
    if (normalised === undefined) return undefined;
    const identity = [
      normalised.text,
      id.operationName ?? '',
      JSON.stringify(id.variables ?? {}),
      scopeKey(id.principal),
      this.versions.token() + this.versions.typeToken(normalised.types),
    ].join('\u0000');
    // Every hit of one request text asks again: its hash is remembered (the version is in the text, so a refresh
    // makes new entries and the old ones are never asked for again; bounded like the printed documents).
    let key = this.keys.get(identity);
    if (key === undefined) {
      key = `graphql:${createHash('sha256').update(identity).digest('base64url')}`;
      if (this.keys.size >= MAX_KEYS) this.keys.clear();
      this.keys.set(identity, key);
    }
    return key;
  }

  /** The answer held in this process, if not expired (synchronous: the hit path before Apollo). */
  peekHot(key: string): CachedAnswer | undefined {
    const entry = this.hot.get(key);
    if (!entry) return undefined;
    if (entry.expiresAtMs > this.clock.nowMs()) return entry;
    this.drop(key, entry);
    return undefined;
  }

  async get(key: string): Promise<CachedAnswer | undefined> {
    const hot = this.peekHot(key);
    if (hot) return hot;
    const stored = await this.cache.peek<StoredAnswer>(key);
    if (!stored || typeof stored.body !== 'string' || !(stored.expiresAtMs > this.clock.nowMs()))
      return undefined;
    return this.keep(key, stored);
  }

  /**
   * The answer of `key` for a request about to be served: held here, in the store, or being executed right now by an
   * identical request (waited for, within FLIGHT_WAIT_MS); undefined: none, the request executes. With `lead`, a
   * request that finds none and no execution under way leads one: it must end it with set() or abandon(key).
   */
  async answer(key: string, lead = false): Promise<{ entry?: CachedAnswer; leads: boolean }> {
    const stored = this.peekHot(key) ?? (await this.get(key));
    if (stored) return { entry: stored, leads: false };
    // Synchronous from here to the flight: a leader that stored meanwhile is seen, and no two requests both lead.
    const hot = this.peekHot(key);
    if (hot) return { entry: hot, leads: false };
    const under = lead ? this.flights.joinOrStart(key) : this.flights.join(key);
    if (!under) return { leads: lead };
    const entry = await under;
    return entry ? { entry, leads: false } : { leads: false };
  }

  /**
   * Stores an answer's body for the TTL; returns the entry (its ETag and expiry go on the response at once). Requests
   * waiting for this key's execution get the entry before the store's write.
   */
  async set(key: string, body: string, upstreamUnits: number | undefined): Promise<CachedAnswer> {
    const stored: StoredAnswer = {
      body,
      etag: strongEtag(body),
      expiresAtMs: this.clock.nowMs() + this.ttlSeconds * 1000,
      upstreamUnits,
    };
    const entry = this.keep(key, stored);
    this.flights.finish(key, entry);
    await this.cache.put(key, stored, this.ttlSeconds);
    return entry;
  }

  /** The leader of `key` has no answer to store (errors, a refusal): its waiters execute themselves. */
  abandon(key: string): void {
    this.flights.finish(key, undefined);
  }

  /** Whole seconds the entry may still be served (Cache-Control max-age). */
  remainingSeconds(entry: StoredAnswer): number {
    return Math.max(0, Math.floor((entry.expiresAtMs - this.clock.nowMs()) / 1000));
  }

  /**
   * A mutation ran: no answer cached before it that may show what it changed is served again — every answer, unless
   * the change is known to be confined to the data of `types` (then only answers selecting one of them).
   */
  mutated(types?: readonly string[]): void {
    if (types) this.versions.touched(types);
    else this.versions.bump(MUTATIONS);
  }

  private keep(key: string, stored: StoredAnswer): CachedAnswer {
    const bytes = Buffer.from(stored.body);
    const entry: CachedAnswer = {
      ...stored,
      bytes,
      entityHeaders: entityHeadersOf(stored.etag, bytes.length),
    };
    const old = this.hot.get(key);
    if (old) this.drop(key, old);
    this.hot.set(key, entry);
    this.hotBytes += entry.bytes.length;
    // Insertion order: the oldest go first (expired entries of an older data version are among them).
    for (const [k, e] of this.hot) {
      if (this.hot.size <= MAX_HOT_ENTRIES && this.hotBytes <= MAX_HOT_BYTES) break;
      this.drop(k, e);
    }
    return entry;
  }

  private drop(key: string, entry: CachedAnswer): void {
    this.hot.delete(key);
    this.hotBytes -= entry.bytes.length;
  }

  private normalised(id: AnswerIdentity): Normalised | undefined {
    const of = (document: DocumentNode): Normalised => ({
      text: print(document),
      ...(id.schema ? { types: selectedTypes(id.schema, document) } : {}),
    });
    if (id.query === undefined) return id.document ? of(id.document) : undefined;
    let normalised = this.printed.get(id.query);
    if (normalised === undefined) {
      if (!id.document) return undefined;
      normalised = of(id.document);
      if (this.printed.size >= MAX_PRINTED) this.printed.clear();
      this.printed.set(id.query, normalised);
    }
    return normalised;
  }
}

/** A strong validator of the exact bytes (RFC 9110 §8.8.3): equal bodies, equal tags, whichever process stored them. */
export function strongEtag(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
}

/** Role and scope, canonical (sorted): the key never lets one scope read another's answer. */
export function scopeKey(principal: Principal | undefined): string {
  if (!principal) return 'anonymous';
  const scope: TenantScope = principal.scope;
  const sorted = (list: readonly string[] | undefined): readonly string[] =>
    list?.length ? [...list].sort() : [];
  return JSON.stringify([principal.role, sorted(scope.clusters), sorted(scope.namespaces)]);
}
