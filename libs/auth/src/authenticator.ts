import { timingSafeEqual } from 'node:crypto';
import { type Principal, UNRESTRICTED } from '@kcloud/common';
import { type ApiKeyEntry, sha256 } from './api-key';
import type { AuthSettings } from './auth-settings';
import type { Credentials } from './credentials';

export type AuthFailure = 'missing' | 'invalid' | 'expired' | 'malformed';

export type GrantLapse = 'revoked' | 'expired' | 'changed';

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

/** What a key principal was issued under: the secret's hash and the expiry it had at that moment. */
interface Grant {
  readonly sha256: string;
  readonly expiresAt?: Date;
}

/**
 * Checks presented credentials against the configured keys and the Basic account. Every comparison is on SHA-256
 * digests with `timingSafeEqual`, and every key is compared (no early exit), so timing says nothing about a key.
 */
export class Authenticator {
  private stored: readonly StoredKey[] = [];
  // Kept beside the principal rather than on it, so a key's hash never travels into GraphQL contexts or logs.
  private readonly grants = new WeakMap<Principal, Grant>();

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
   * Whether a principal authenticated earlier still holds the same grant: its key exists with the same secret (hash),
   * role, scope and expiry, and has not expired. The Basic account and anonymous callers are not keys and always do.
   */
  stillGrants(principal: Principal): boolean {
    return this.lapseOf(principal) === undefined;
  }

  /**
   * Why a principal's grant ended, if it did: `revoked` when its secret is no longer configured (the key was removed,
   * or rotated under the same name, so a stream opened with a leaked secret ends), `expired` at its `expiresAt`,
   * `changed` when the key's role, scope or expiry changed (the client may reconnect under the new grant).
   */
  lapseOf(principal: Principal): GrantLapse | undefined {
    if (!this.enforced || principal.name === this.settings.basic?.username) return undefined;
    const entry = this.keyEntry(principal.name);
    // A principal this class did not issue (none in production) is judged by name, role and scope alone.
    const grant = this.grants.get(principal);
    if (!entry || (grant && entry.sha256 !== grant.sha256)) return 'revoked';
    if (grant?.expiresAt && grant.expiresAt.getTime() <= this.now()) return 'expired';
    const same =
      entry.role === principal.role &&
      sameList(entry.clusters, principal.scope.clusters) &&
      sameList(entry.namespaces, principal.scope.namespaces) &&
      (grant === undefined || entry.expiresAt?.getTime() === grant.expiresAt?.getTime());
    return same ? undefined : 'changed';
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
    const principal: Principal = {
      name: match.name,
      role: match.role,
      scope: Object.freeze({
        ...(match.clusters ? { clusters: match.clusters } : {}),
        ...(match.namespaces ? { namespaces: match.namespaces } : {}),
      }),
    };
    this.grants.set(principal, { sha256: match.sha256, expiresAt: match.expiresAt });
    return {
      ok: true,
      principal,
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
