import { timingSafeEqual } from 'node:crypto';
import { DomainError, ErrorCode } from '@kcloud/common';
import { sha256 } from './api-key';
import type { AuthSettings } from './auth-settings';

/**
 * With METRICS_TOKEN set, only `Authorization: Bearer <METRICS_TOKEN>` reads `/metrics`; API keys do not: the exported
 * gauges carry every tenant's labels, which no scoped key may see. (Without a token the guard decides: settings.metricsAccess.)
 */
export function checkMetricsToken(settings: AuthSettings, authorization: string | undefined): true {
  const expected = settings.metricsTokenSha256;
  if (!expected) return true;
  const presented = /^Bearer\s+(.+)$/i.exec(authorization?.trim() ?? '')?.[1];
  if (presented !== undefined && timingSafeEqual(sha256(presented), expected)) return true;
  throw new DomainError(ErrorCode.UNAUTHENTICATED, '/metrics needs Authorization: Bearer <METRICS_TOKEN>');
}
