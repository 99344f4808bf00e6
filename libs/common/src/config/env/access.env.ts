import { BoolEnv, IntEnv, OneOfEnv, StringEnv } from './env-decorators';

/** Who may call: API keys, the Basic account, the /metrics token, CORS (libs/auth maps and validates the key list). */
export class AccessEnv {
  /** `off` serves every request as an unrestricted admin (logged loudly at every start). */
  @OneOfEnv(['on', 'off']) AUTH_MODE: 'on' | 'off' = 'on';

  /** JSON list `[{name, sha256, role, clusters?, namespaces?, expiresAt?, rateLimitPerMinute?}]`; hashes only. */
  @StringEnv({ optional: true }) API_KEYS?: string;

  /** The same JSON in a file (a mounted secret). */
  @StringEnv({ optional: true }) API_KEYS_FILE?: string;

  /** How often API_KEYS_FILE is re-read; a changed, valid file replaces the keys without a restart. 0: never. */
  @IntEnv({ min: 0, max: 3600 }) API_KEYS_RELOAD_SECONDS = 30;

  /** HTTP Basic account with the admin role (the seed's admin login). */
  @StringEnv({ optional: true }) API_AUTH_USERNAME?: string;

  @StringEnv({ optional: true }) API_AUTH_PASSWORD?: string;

  /**
   * When set, `/metrics` needs `Authorization: Bearer <METRICS_TOKEN>`. Unset: in production with credentials it needs an
   * admin credential (its series carry every tenant's labels); elsewhere, or with METRICS_PUBLIC, it is open.
   */
  @StringEnv({ optional: true }) METRICS_TOKEN?: string;

  /** Serve `/metrics` to anyone who reaches the port even in production without METRICS_TOKEN (warned at start). */
  @BoolEnv({ optional: true }) METRICS_PUBLIC?: boolean;

  /**
   * The reverse proxies in front of the API (an ingress, a load balancer) whose `X-Forwarded-For` is believed: a
   * hop count (`1`) or comma-separated addresses, CIDRs and `loopback` / `linklocal` / `uniquelocal` — Express's
   * `trust proxy` syntax, except `true`. Unset: the socket's peer is the client. Failed-authentication throttling
   * counts per client address, so behind an ingress without it every client shares the ingress's address.
   */
  @StringEnv({ optional: true }) TRUST_PROXY?: string;

  /** Comma-separated allowed origins (`*` = any, answered as a literal `*`). Default: none (same-origin pages only). */
  @StringEnv({ optional: true }) CORS_ORIGINS?: string;
}
