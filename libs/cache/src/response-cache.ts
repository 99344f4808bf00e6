import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { DocumentNode } from 'graphql';
import { print } from 'graphql';
import { AppConfig, type Principal, type TenantScope } from '@kcloud/common';
import { CacheService } from './cache.service';
import { DataVersions } from './data-versions';

/** A cached answer: the data of a query that ran without errors. */
export interface CachedAnswer {
  readonly data: Record<string, unknown>;
}

/** What identifies an answer besides the data version: the document, its variables and who may see what. */
export interface AnswerIdentity {
  readonly document: DocumentNode;
  /** Apollo's hash of the raw query text: memoises the normalised (printed) form per distinct text. */
  readonly queryHash?: string;
  readonly operationName?: string | null;
  readonly variables?: Readonly<Record<string, unknown>>;
  readonly principal?: Principal;
}

/** Bounded memo of printed documents (distinct query texts are few; a flood of distinct ones only costs prints). */
const MAX_PRINTED = 1000;

export const MUTATIONS = 'mutation';

/**
 * Whole GraphQL answers on `@kcloud/cache` (Redis when REDIS_URL is set, memory otherwise). A key is the normalised
 * document + operation + variables + the caller's role and effective scope + the data version token, hashed: two
 * callers share an answer only when they may see exactly the same thing, and a refresh (analysis installed, snapshot
 * re-read, any mutation) changes the token, so older answers are never read again and expire by TTL.
 */
@Injectable()
export class ResponseCache {
  readonly enabled: boolean;
  readonly ttlSeconds: number;
  private readonly printed = new Map<string, string>();

  constructor(
    private readonly cache: CacheService,
    private readonly versions: DataVersions,
    config: AppConfig,
  ) {
    // Answers hold live readings: never kept longer than the realtime class keeps the snapshot they were built from.
    this.ttlSeconds = Math.min(config.env.RESPONSE_CACHE_TTL_SECONDS, config.cache.ttlSeconds.realtime);
    this.enabled = config.env.RESPONSE_CACHE_ENABLED && this.ttlSeconds > 0;
  }

  keyOf(id: AnswerIdentity): string {
    const hash = createHash('sha256');
    hash.update(this.normalised(id));
    hash.update('\u0000');
    hash.update(id.operationName ?? '');
    hash.update('\u0000');
    hash.update(JSON.stringify(id.variables ?? {}));
    hash.update('\u0000');
    hash.update(scopeKey(id.principal));
    hash.update('\u0000');
    hash.update(this.versions.token());
    return `graphql:${hash.digest('base64url')}`;
  }

  get(key: string): Promise<CachedAnswer | undefined> {
    return this.cache.peek<CachedAnswer>(key);
  }

  set(key: string, answer: CachedAnswer): Promise<void> {
    return this.cache.put(key, answer, this.ttlSeconds);
  }

  /** A mutation ran: whatever it changed, no answer cached before it is served again. */
  mutated(): void {
    this.versions.bump(MUTATIONS);
  }

  private normalised(id: AnswerIdentity): string {
    if (id.queryHash === undefined) return print(id.document);
    let text = this.printed.get(id.queryHash);
    if (text === undefined) {
      text = print(id.document);
      if (this.printed.size >= MAX_PRINTED) this.printed.clear();
      this.printed.set(id.queryHash, text);
    }
    return text;
  }
}

/** Role and scope, canonical (sorted): the key never lets one scope read another's answer. */
export function scopeKey(principal: Principal | undefined): string {
  if (!principal) return 'anonymous';
  const scope: TenantScope = principal.scope;
  const sorted = (list: readonly string[] | undefined): readonly string[] => (list?.length ? [...list].sort() : []);
  return JSON.stringify([principal.role, sorted(scope.clusters), sorted(scope.namespaces)]);
}
