import { readFileSync } from 'node:fs';
import { type AppConfig, ConfigError, type EnvSchema } from '@kcloud/common';
import { type ApiKeyEntry, parseApiKeys, sha256 } from './api-key';
import { parseTrustProxy, type TrustProxy } from './client-address';

/**
 * How requests are authenticated this run:
 * - `enforced`: credentials are configured; every non-public request must present one.
 * - `open`: none configured and not production; every caller is an unrestricted admin (warned at every start).
 * - `off`: AUTH_MODE=off; the same as open, chosen explicitly (warned loudly at every start).
 */
export type AuthMode = 'enforced' | 'open' | 'off';

export interface AuthSettings {
  readonly mode: AuthMode;
  readonly keys: readonly ApiKeyEntry[];
  /** The seed's admin account; the password is held as its SHA-256 so comparisons take constant time. */
  readonly basic?: { readonly username: string; readonly passwordSha256: Buffer };
  readonly metricsTokenSha256?: Buffer;
  /**
   * Who reads `/metrics` (its series carry every tenant's labels): `token` — METRICS_TOKEN's bearer only; `admin` —
   * an admin credential (production with credentials and no token); `open` — anyone (development, AUTH_MODE=off, or
   * METRICS_PUBLIC=true).
   */
  readonly metricsAccess: 'token' | 'admin' | 'open';
  /**
   * `false` (the default in every environment): no CORS, browsers allow same-origin pages only; a list allows exactly
   * those origins; `true` (CORS_ORIGINS=*) answers `*`, never the caller's origin, so browsers send no credentials.
   */
  readonly corsOrigins: boolean | readonly string[];
  /** TRUST_PROXY compiled: which hops' X-Forwarded-For names the client (clientAddress); undefined: the socket peer. */
  readonly trustProxy?: TrustProxy;
  readonly rateLimitPerMinute: number;
  readonly maxDepth: number;
  readonly maxComplexity: number;
  readonly maxTokens: number;
  readonly maxAliases: number;
  readonly maxSelections: number;
  /** Largest graphql-ws frame, in bytes. */
  readonly wsMaxPayloadBytes: number;
  /** Whether `__schema`/`__type` may be asked (GRAPHQL_INTROSPECTION; off in production unless set), on every transport. */
  readonly introspection: boolean;
  readonly maxSubscriptionsPerKey: number;
  /** graphql-ws connections plus SSE streams per key (one replica). */
  readonly maxConnectionsPerKey: number;
  readonly maxExportsPerKey: number;
  /** Failed authentications per client address (and per Basic user name) per minute. */
  readonly authFailuresPerMinute: number;
  readonly queryTimeoutMs: number;
  readonly bodyLimitBytes: number;
}

type ReadFile = (path: string) => string;

const cache = new WeakMap<AppConfig, AuthSettings>();

/** The auth section of a config, built once per AppConfig (it reads API_KEYS_FILE). Throws ConfigError. */
export function authSettingsOf(config: AppConfig): AuthSettings {
  let settings = cache.get(config);
  if (!settings) {
    // AppConfig owns the introspection switch (Apollo reads it there); graphql-ws must follow the same one.
    settings = { ...buildAuthSettings(config.env), introspection: config.graphql.introspection };
    cache.set(config, settings);
  }
  return settings;
}

export function buildAuthSettings(
  env: Readonly<EnvSchema>,
  readFile: ReadFile = (p) => readFileSync(p, 'utf8'),
): AuthSettings {
  const problems: string[] = [];
  const keys = loadApiKeys(env, readFile, problems);
  const basic = basicAccount(env, problems);
  const cors = corsOrigins(env.CORS_ORIGINS, problems);
  const proxies = parseTrustProxy(env.TRUST_PROXY);
  if (proxies.problem) problems.push(proxies.problem);
  const production = env.NODE_ENV === 'production';
  const hasCredentials = keys.length > 0 || basic !== undefined;
  if (env.AUTH_MODE !== 'off' && !hasCredentials && production && !problems.length)
    problems.push(
      'NODE_ENV=production needs credentials: set API_KEYS, API_KEYS_FILE or API_AUTH_USERNAME/API_AUTH_PASSWORD ' +
        '(or AUTH_MODE=off to serve without authentication)',
    );
  if (problems.length) throw new ConfigError(problems);
  const mode: AuthMode = env.AUTH_MODE === 'off' ? 'off' : hasCredentials ? 'enforced' : 'open';
  return {
    mode,
    keys,
    basic,
    metricsTokenSha256: env.METRICS_TOKEN ? sha256(env.METRICS_TOKEN) : undefined,
    metricsAccess: env.METRICS_TOKEN
      ? 'token'
      : mode === 'enforced' && production && env.METRICS_PUBLIC !== true
        ? 'admin'
        : 'open',
    corsOrigins: cors,
    trustProxy: proxies.trust,
    rateLimitPerMinute: env.RATE_LIMIT_PER_MINUTE,
    maxDepth: env.GRAPHQL_MAX_DEPTH,
    maxComplexity: env.GRAPHQL_MAX_COMPLEXITY,
    maxTokens: env.GRAPHQL_MAX_TOKENS,
    maxAliases: env.GRAPHQL_MAX_ALIASES,
    maxSelections: env.GRAPHQL_MAX_SELECTIONS,
    wsMaxPayloadBytes: env.WS_MAX_PAYLOAD_KB * 1024,
    introspection: env.GRAPHQL_INTROSPECTION ?? !production,
    maxSubscriptionsPerKey: env.MAX_SUBSCRIPTIONS_PER_KEY,
    maxConnectionsPerKey: env.MAX_CONNECTIONS_PER_KEY,
    maxExportsPerKey: env.MAX_EXPORTS_PER_KEY,
    authFailuresPerMinute: env.AUTH_FAILURES_PER_MINUTE,
    queryTimeoutMs: env.QUERY_TIMEOUT_MS,
    bodyLimitBytes: env.REQUEST_BODY_LIMIT_KB * 1024,
  };
}

/**
 * Every configured key, API_KEYS then API_KEYS_FILE, names unique and none the Basic account's user name; one message
 * per problem (at boot and on reload).
 */
export function loadApiKeys(env: Readonly<EnvSchema>, readFile: ReadFile, problems: string[]): ApiKeyEntry[] {
  const keys = [
    ...(env.API_KEYS ? parseApiKeys(env.API_KEYS, 'API_KEYS', problems) : []),
    ...(env.API_KEYS_FILE ? keysFromFile(env.API_KEYS_FILE, readFile, problems) : []),
  ];
  const names = new Set<string>();
  for (const k of keys) {
    if (names.has(k.name)) problems.push(`API key name '${k.name}' is used twice`);
    names.add(k.name);
  }
  // The principal name tracks rate limits and subscriptions; a key of the same name would share them.
  const basic = env.API_AUTH_USERNAME;
  if (basic && names.has(basic)) problems.push(`API_AUTH_USERNAME '${basic}' is also the name of an API key`);
  return keys;
}

function keysFromFile(path: string, readFile: ReadFile, problems: string[]): ApiKeyEntry[] {
  let text: string;
  try {
    text = readFile(path);
  } catch (e) {
    problems.push(
      `API_KEYS_FILE cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
    return [];
  }
  return parseApiKeys(text, 'API_KEYS_FILE', problems);
}

function basicAccount(env: Readonly<EnvSchema>, problems: string[]): AuthSettings['basic'] {
  const { API_AUTH_USERNAME: username, API_AUTH_PASSWORD: password } = env;
  if (!username && !password) return undefined;
  if (!username || !password) {
    problems.push('API_AUTH_USERNAME and API_AUTH_PASSWORD must be set together');
    return undefined;
  }
  if (username.includes(':')) problems.push('API_AUTH_USERNAME must not contain ":" (HTTP Basic separator)');
  return { username, passwordSha256: sha256(password) };
}

/**
 * Same default everywhere: a development process without NODE_ENV is as reachable from a browser as a production one,
 * and with no credentials configured any page allowed by CORS could drive it as an admin.
 */
function corsOrigins(value: string | undefined, problems: string[]): AuthSettings['corsOrigins'] {
  const list = (value ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  if (list.includes('*')) return true;
  for (const o of list)
    if (originOf(o) !== o)
      problems.push(`CORS_ORIGINS entry '${o}' is not an origin (scheme://host[:port], no path)`);
  return list.length ? list : false;
}

function originOf(text: string): string | undefined {
  try {
    return new URL(text).origin;
  } catch {
    return undefined;
  }
}

/** DI token of the AuthSettings of this process. */
export const AUTH_SETTINGS = Symbol('AUTH_SETTINGS');
