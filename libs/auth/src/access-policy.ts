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

/** Probe routes served without credentials; they carry states only, never tenant data or cluster URLs. */
export function isOpenPath(path: string): boolean {
  return path === '/health' || path.startsWith('/health/') || path === '/api/v1/system/health';
}

/** The Prometheus scrape endpoint: open, or behind METRICS_TOKEN (never an API key: it exports every tenant). */
export const METRICS_PATH = '/metrics';
