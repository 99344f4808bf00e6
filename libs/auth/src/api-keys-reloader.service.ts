import { readFileSync } from 'node:fs';
import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { AppConfig, CredentialChanges } from '@kcloud/common';
import { type ApiKeyEntry, parseApiKeys } from './api-key';
import { AUTH_SETTINGS, type AuthSettings, loadApiKeys } from './auth-settings';
import { Authenticator } from './authenticator';
import { WsAccess } from './graphql/ws-access.service';
import { keysRevokedByInvalidFile } from './invalid-keys-file';
import { KeyExpiryWatch } from './key-expiry.service';

export type ReloadOutcome = 'unchanged' | 'applied' | 'rejected';

/**
 * Re-reads API_KEYS_FILE every API_KEYS_RELOAD_SECONDS (a Kubernetes Secret mounted as a file is updated in place), so
 * a key can be added, rotated or revoked without a restart. A changed file is applied only when it is valid as a
 * whole (the boot rules: JSON, fields, unique names, none the Basic user's); otherwise the current keys stay and the
 * problems are logged, except the keys the invalid edit revokes anyway (fail-closed, see keysRevokedByInvalidFile).
 * Open graphql-ws connections of a revoked or changed key are closed with 4401; its SSE streams end.
 */
@Injectable()
export class ApiKeysReloader implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Auth');
  private timer?: NodeJS.Timeout;
  private lastText?: string;

  constructor(
    private readonly config: AppConfig,
    @Inject(AUTH_SETTINGS) private readonly settings: AuthSettings,
    private readonly auth: Authenticator,
    private readonly ws: WsAccess,
    private readonly credentials: CredentialChanges,
    private readonly expiry: KeyExpiryWatch,
  ) {}

  onModuleInit(): void {
    const { API_KEYS_FILE: file, API_KEYS_RELOAD_SECONDS: seconds } = this.config.env;
    if (!file || seconds === 0 || this.settings.mode !== 'enforced') return;
    this.lastText = this.read();
    this.timer = setInterval(() => this.reload(), seconds * 1000);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  reload(): ReloadOutcome {
    const text = this.read();
    if (text === undefined || text === this.lastText) return 'unchanged';
    this.lastText = text;
    const problems: string[] = [];
    const keys = loadApiKeys(this.config.env, () => text, problems);
    if (problems.length) {
      this.rejected(text, problems);
      return 'rejected';
    }
    const before = new Map(this.auth.keys().map((k) => [k.name, k]));
    this.apply(keys);
    this.logger.log(`API keys reloaded: ${describeChanges(before, keys)}`);
    return 'applied';
  }

  /** An invalid edit is not applied, but the file keys it no longer grants are revoked all the same. */
  private rejected(text: string, problems: readonly string[]): void {
    const fromEnv = new Set(
      this.config.env.API_KEYS
        ? parseApiKeys(this.config.env.API_KEYS, 'API_KEYS', []).map((k) => k.name)
        : [],
    );
    const current = this.auth.keys();
    const revoked = new Set(
      keysRevokedByInvalidFile(
        current.filter((k) => !fromEnv.has(k.name)),
        text,
      ),
    );
    const kept = revoked.size
      ? `the other current keys stay; revoked [${[...revoked].map((k) => k.name).join(', ')}], which the new file no longer lists with the same hash`
      : 'the current keys stay';
    this.logger.error(`API_KEYS_FILE changed but is invalid; ${kept}: ${problems.join('; ')}`);
    if (revoked.size) this.apply(current.filter((k) => !revoked.has(k)));
  }

  private apply(keys: readonly ApiKeyEntry[]): void {
    this.auth.replaceKeys(keys);
    this.ws.revalidate();
    this.credentials.announce((principal) => this.auth.stillGrants(principal));
    this.expiry.rearm();
  }

  private read(): string | undefined {
    try {
      return readFileSync(this.config.env.API_KEYS_FILE!, 'utf8');
    } catch (e) {
      this.logger.error(
        `API_KEYS_FILE cannot be read; the current keys stay (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      );
      return undefined;
    }
  }
}

function describeChanges(before: ReadonlyMap<string, ApiKeyEntry>, after: readonly ApiKeyEntry[]): string {
  const added = after.filter((k) => !before.has(k.name)).map((k) => k.name);
  const removed = [...before.keys()].filter((name) => !after.some((k) => k.name === name));
  const changed = after.filter(
    (k) => before.has(k.name) && JSON.stringify(before.get(k.name)) !== JSON.stringify(k),
  );
  return `${after.length} key(s); added [${added.join(', ')}], removed [${removed.join(', ')}], changed [${changed.map((k) => k.name).join(', ')}]`;
}
