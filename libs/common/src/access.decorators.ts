import { SetMetadata } from '@nestjs/common';
import type { Role } from './principal';

/** Metadata key of `@Roles(...)`; read by the auth library's global guard. */
export const ROLES_KEY = 'kcloud:roles';
/** Metadata key of `@Public()`. */
export const IS_PUBLIC_KEY = 'kcloud:public';
/** Metadata key of `@MetricsEndpoint()`. */
export const METRICS_ENDPOINT_KEY = 'kcloud:metrics-endpoint';

/**
 * The roles allowed to call a resolver or route (on the method or the whole class). Without it the guard applies
 * the defaults: GraphQL queries and REST GETs for every role, subscriptions for partner and admin, mutations and
 * other HTTP methods for admin only.
 */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator => SetMetadata(ROLES_KEY, roles);

/** Served without credentials (probes). Use sparingly: a public route must not return tenant data. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC_KEY, true);

/**
 * The Prometheus scrape route: open, or behind METRICS_TOKEN, never an API key (its series carry every tenant's
 * labels). The guard decides by this mark on the route that matched, so every spelling Express routes to the handler
 * (`/METRICS`, `/metrics/`) gets the same answer.
 */
export const MetricsEndpoint = (): ClassDecorator => SetMetadata(METRICS_ENDPOINT_KEY, true);
