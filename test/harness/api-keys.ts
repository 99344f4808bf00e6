import { createHash } from 'node:crypto';

export const sha256Hex = (s: string): string => createHash('sha256').update(s).digest('hex');

/** A suite's API key: the secret its caller sends, and the scope API_KEYS gives it. */
export interface TestKey {
  readonly name: string;
  readonly secret: string;
  readonly role: 'admin' | 'partner' | 'viewer';
  readonly namespaces?: readonly string[];
  readonly clusters?: readonly string[];
  readonly rateLimitPerMinute?: number;
  /** ISO-8601 UTC; refused from then on. */
  readonly expiresAt?: string;
}

/** A key's API_KEYS entry: by its sha256, never the key itself (the config refuses plain keys). */
export function apiKeyEntry({ name, secret, ...scope }: TestKey): Record<string, unknown> {
  return { name, sha256: sha256Hex(secret), ...scope };
}

/** The API_KEYS value for `keys`. */
export function apiKeysEnv(keys: readonly TestKey[]): string {
  return JSON.stringify(keys.map(apiKeyEntry));
}

export function bearer(secret: string): { authorization: string } {
  return { authorization: `Bearer ${secret}` };
}

/**
 * The three scopes a node-level read is checked under: `<prefix>-admin` sees everything, `<prefix>-tenant` is a partner
 * in the `inference` namespace (node-wide data is not its), `<prefix>-west` a partner on one cluster.
 */
export function adminTenantClusterKeys(
  prefix: string,
  secrets: { readonly admin: string; readonly tenant: string; readonly cluster: string },
  cluster: string,
): TestKey[] {
  return [
    { name: `${prefix}-admin`, secret: secrets.admin, role: 'admin' },
    { name: `${prefix}-tenant`, secret: secrets.tenant, role: 'partner', namespaces: ['inference'] },
    { name: `${prefix}-west`, secret: secrets.cluster, role: 'partner', clusters: [cluster] },
  ];
}
