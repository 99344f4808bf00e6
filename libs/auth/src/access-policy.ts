import type { Role } from '@kcloud/common';

/** What a request is about to do, as far as the role rules care. */
export type Operation =
  | { readonly transport: 'graphql'; readonly type: 'query' | 'mutation' | 'subscription' }
  /** `stream`: a live push (Server-Sent Events), which is subscribing by another name. */
  | { readonly transport: 'http'; readonly method: string; readonly stream?: boolean };

// Each role includes the ones below it: partner = viewer + subscriptions, admin = partner + mutations.
const RANK: Readonly<Record<Role, number>> = { viewer: 0, partner: 1, admin: 2 };

/**
 * The roles an operation needs when its handler carries no `@Roles(...)`: viewers read, partners also subscribe
 * (GraphQL subscriptions and SSE streams), admins also change things (mutations, non-GET routes).
 */
export function defaultRoles(op: Operation): readonly Role[] {
  if (op.transport === 'graphql') {
    switch (op.type) {
      case 'query':
        return ['viewer'];
      case 'subscription':
        return ['partner'];
      case 'mutation':
        return ['admin'];
    }
  }
  if (!['GET', 'HEAD', 'OPTIONS'].includes(op.method.toUpperCase())) return ['admin'];
  return op.stream ? ['partner'] : ['viewer'];
}

/** `@Roles('partner')` admits partner and admin: a listed role or any role above it. */
export function isAllowed(role: Role, required: readonly Role[]): boolean {
  return required.some((r) => RANK[role] >= RANK[r]);
}

/** A peer address on this machine (127.0.0.0/8, ::1, or IPv4-mapped 127.x); unknown counts as remote. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return /^127(?:\.\d{1,3}){3}$/.test(v4) || /^(?:0{0,4}:){7}0{0,3}1$|^::1$/.test(address);
}

/** A browser page served from this machine (`http://localhost:5173`, `http://127.0.0.1:3000`, `http://[::1]`). */
export function isLoopbackOrigin(origin: string): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  const host = url.hostname;
  return (
    host === 'localhost' || host.endsWith('.localhost') || isLoopbackAddress(host.replace(/^\[|\]$/g, ''))
  );
}

/** What a caller looks like on the wire, as far as the open-mode rule cares. */
export interface Caller {
  /** The socket's peer address (no proxy header is trusted). */
  readonly address?: string;
  /** The `Origin` header a browser sends on cross-origin requests and on every WebSocket upgrade. */
  readonly origin?: string;
  readonly host?: string;
  /** The request names a client behind a proxy (`Forwarded`, `X-Forwarded-For`): a local proxy is not a local caller. */
  readonly forwarded?: boolean;
}

/**
 * Without credentials configured (open development mode) every caller is an admin, which is safe only for the
 * developer's own machine. So: a browser page of a foreign site is refused outright (graphql-ws has no CORS to stop
 * it), and operations that need the admin role are accepted from loopback only (and from a local page). AUTH_MODE=off
 * lifts both, explicitly. Returns why the request is refused, or undefined.
 */
export function openModeRefusal(
  caller: Caller,
  needsAdmin: boolean,
  allowedOrigins: boolean | readonly string[],
): string | undefined {
  const { origin } = caller;
  const foreignPage =
    origin !== undefined &&
    !isLoopbackOrigin(origin) &&
    !sameOrigin(origin, caller.host) &&
    !(allowedOrigins === true || (Array.isArray(allowedOrigins) && allowedOrigins.includes(origin)));
  const hint = 'set API_KEYS (or AUTH_MODE=off to serve everyone as admin)';
  if (foreignPage) return `without credentials configured, pages of ${origin} may not call this API; ${hint}`;
  const local =
    isLoopbackAddress(caller.address) &&
    !caller.forwarded &&
    (origin === undefined || isLoopbackOrigin(origin));
  if (needsAdmin && !local)
    return `without credentials configured, admin operations are accepted from this machine only; ${hint}`;
  return undefined;
}

function sameOrigin(origin: string, host: string | undefined): boolean {
  try {
    return host !== undefined && new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}
