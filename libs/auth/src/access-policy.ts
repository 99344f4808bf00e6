import type { Role } from '@kcloud/common';

/** What a request is about to do, as far as the role rules care. */
export type Operation =
  | { readonly transport: 'graphql'; readonly type: 'query' | 'mutation' | 'subscription' }
  | { readonly transport: 'http'; readonly method: string };

// Each role includes the ones below it: partner = viewer + subscriptions, admin = partner + mutations.
const RANK: Readonly<Record<Role, number>> = { viewer: 0, partner: 1, admin: 2 };

/** The roles an operation needs when its handler carries no `@Roles(...)`. */
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
  return ['GET', 'HEAD', 'OPTIONS'].includes(op.method.toUpperCase()) ? ['viewer'] : ['admin'];
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
