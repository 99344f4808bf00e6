import { timingSafeEqual } from 'node:crypto';
import { type Principal, UNRESTRICTED } from '@kcloud/common';
import { type ApiKeyEntry, sha256 } from './api-key';
import type { AuthSettings } from './auth-settings';
import type { Credentials } from './credentials';

export type AuthFailure = 'missing' | 'invalid' | 'expired' | 'malformed';

export type AuthOutcome =
  | {
      readonly ok: true;
      readonly principal: Principal;
      readonly expiresAt?: Date;
      readonly rateLimitPerMinute?: number;
    }
  | { readonly ok: false; readonly failure: AuthFailure; readonly message: string };

/** Who callers are when authentication is not enforced (open development mode or AUTH_MODE=off). */
export const ANONYMOUS_ADMIN: Principal = Object.freeze({
  name: 'anonymous',
  role: 'admin',
  scope: UNRESTRICTED,
});

interface StoredKey {
  readonly entry: ApiKeyEntry;
  readonly digest: Buffer;
}

/**
 * Checks presented credentials against the configured keys and the Basic account. Every comparison is on SHA-256
 * digests with `timingSafeEqual`, and every key is compared (no early exit), so timing says nothing about a key.
 */
export class Authenticator {
  private stored: readonly StoredKey[] = [];

  constructor(
    private readonly settings: AuthSettings,
    private readonly now: () => number = Date.now,
  ) {
    this.replaceKeys(settings.keys);
  }

  /** Swaps the key list at once (API_KEYS_FILE reloaded); requests in flight keep the outcome they already got. */
  replaceKeys(keys: readonly ApiKeyEntry[]): void {
    this.stored = keys.map((entry) => ({ entry, digest: Buffer.from(entry.sha256, 'hex') }));
  }

  keys(): readonly ApiKeyEntry[] {
    return this.stored.map((s) => s.entry);
  }

  /**
   * Whether a principal authenticated earlier still holds the same grant: its key exists with the same role and
   * scope, and the same expiry when the caller knows the one it was granted (the Basic account and anonymous callers
   * are not keys and always do).
   */
  stillGrants(principal: Principal, granted?: { readonly expiresAt?: Date }): boolean {
    if (!this.enforced || principal.name === this.settings.basic?.username) return true;
    const entry = this.keyEntry(principal.name);
    return (
      entry !== undefined &&
      entry.role === principal.role &&
      sameList(entry.clusters, principal.scope.clusters) &&
      sameList(entry.namespaces, principal.scope.namespaces) &&
      (granted === undefined || entry.expiresAt?.getTime() === granted.expiresAt?.getTime())
    );
  }

  /** The current entry of a key by its name. */
  keyEntry(name: string): ApiKeyEntry | undefined {
    return this.stored.find((s) => s.entry.name === name)?.entry;
  }

  get enforced(): boolean {
    return this.settings.mode === 'enforced';
  }

  authenticate(credentials: Credentials): AuthOutcome {
    if (!this.enforced) return { ok: true, principal: ANONYMOUS_ADMIN };
    switch (credentials.kind) {
      case 'none':
        return fail('missing', 'credentials required: Authorization: Bearer <key>, X-API-Key or Basic');
      case 'malformed':
        return fail('malformed', credentials.reason);
      case 'key':
        return this.byKey(credentials.key);
      case 'basic':
        return this.byBasic(credentials.username, credentials.password);
    }
  }

  /** A key's per-minute limit, by principal name (the Basic account and unknown names get the default). */
  rateLimitOf(principalName: string): number {
    return (
      this.stored.find((s) => s.entry.name === principalName)?.entry.rateLimitPerMinute ??
      this.settings.rateLimitPerMinute
    );
  }

  private byKey(key: string): AuthOutcome {
    const digest = sha256(key);
    let match: ApiKeyEntry | undefined;
    for (const s of this.stored) if (timingSafeEqual(digest, s.digest) && !match) match = s.entry;
    if (!match) return fail('invalid', 'invalid API key');
    if (match.expiresAt && match.expiresAt.getTime() <= this.now()) return fail('expired', 'API key expired');
    return {
      ok: true,
      principal: {
        name: match.name,
        role: match.role,
        scope: Object.freeze({
          ...(match.clusters ? { clusters: match.clusters } : {}),
          ...(match.namespaces ? { namespaces: match.namespaces } : {}),
        }),
      },
      expiresAt: match.expiresAt,
      rateLimitPerMinute: match.rateLimitPerMinute ?? this.settings.rateLimitPerMinute,
    };
  }

  private byBasic(username: string, password: string): AuthOutcome {
    const account = this.settings.basic;
    if (!account) return fail('invalid', 'Basic authentication is not configured');
    // Both halves are always compared so a wrong user name costs as much as a wrong password.
    const userOk = timingSafeEqual(sha256(username), sha256(account.username));
    const passOk = timingSafeEqual(sha256(password), account.passwordSha256);
    if (!userOk || !passOk) return fail('invalid', 'invalid user name or password');
    return {
      ok: true,
      principal: { name: account.username, role: 'admin', scope: UNRESTRICTED },
      rateLimitPerMinute: this.settings.rateLimitPerMinute,
    };
  }
}

function fail(failure: AuthFailure, message: string): AuthOutcome {
  return { ok: false, failure, message };
}

function sameList(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}
