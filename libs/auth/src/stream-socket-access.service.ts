import type { IncomingMessage } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode, type Principal } from '@kcloud/common';
import { defaultRoles, isAllowed, openModeRefusal } from './access-policy';
import { RequestAdmission } from './admission.service';
import { AuthFailureThrottle, failureSubjects, tooManyFailuresMessage } from './auth-failure-throttle';
import { AUTH_SETTINGS, type AuthSettings } from './auth-settings';
import { clientAddress } from './client-address';
import { credentialsFrom } from './credentials';
import { rateLimitMessage } from './rate-limiter.service';

export type StreamSocketAdmission =
  | { readonly ok: true; readonly principal: Principal }
  | {
      readonly ok: false;
      readonly code: ErrorCode;
      readonly message: string;
      readonly retryAfterSeconds?: number;
    };

/**
 * The way in for a plain WebSocket live stream (the seeds' `ws://…/stream/power`): the same decision the global guard
 * makes for the SSE route on the same path — credentials from `Authorization` or `X-API-Key` on the upgrade request,
 * the failed-authentication throttle (AUTH_FAILURES_PER_MINUTE, as on HTTP and graphql-ws), one hit on the key's
 * rate limit, the stream role rule (partner and admin; viewers read, they do not subscribe) and,
 * without credentials configured, the open-mode origin rule. An upgrade request never reaches Nest's guards.
 */
@Injectable()
export class StreamSocketAccess {
  constructor(
    private readonly admission: RequestAdmission,
    private readonly failures: AuthFailureThrottle,
    @Inject(AUTH_SETTINGS) private readonly settings: AuthSettings,
  ) {}

  async admit(req: IncomingMessage): Promise<StreamSocketAdmission> {
    const credentials = credentialsFrom(req.headers.authorization, req.headers['x-api-key']);
    const subjects = failureSubjects(clientAddress(req, this.settings.trustProxy), credentials);
    const counted = this.settings.mode === 'enforced' && credentials.kind !== 'none';
    const wait = counted ? this.failures.retryAfterSeconds(subjects) : 0;
    if (wait > 0)
      return {
        ok: false,
        code: ErrorCode.RATE_LIMITED,
        message: tooManyFailuresMessage(wait),
        retryAfterSeconds: wait,
      };
    const admitted = await this.admission.admit(req.headers);
    if (!admitted.ok && admitted.refusal === 'unauthenticated') {
      if (counted) void this.failures.failed(subjects);
      return { ok: false, code: ErrorCode.UNAUTHENTICATED, message: admitted.message };
    }
    if (!admitted.ok)
      return {
        ok: false,
        code: ErrorCode.RATE_LIMITED,
        message: rateLimitMessage(admitted.rate),
        retryAfterSeconds: admitted.rate.retryAfterSeconds,
      };
    const required = defaultRoles({ transport: 'http', method: 'GET', stream: true });
    if (this.settings.mode === 'open') {
      const header = (name: string): string | undefined => {
        const value = req.headers[name];
        return Array.isArray(value) ? value[0] : value;
      };
      const refusal = openModeRefusal(
        {
          address: req.socket.remoteAddress,
          origin: header('origin'),
          host: header('host'),
          forwarded: header('forwarded') !== undefined || header('x-forwarded-for') !== undefined,
        },
        !isAllowed('partner', required),
        this.settings.corsOrigins,
      );
      if (refusal) return { ok: false, code: ErrorCode.FORBIDDEN, message: refusal };
    }
    if (!isAllowed(admitted.principal.role, required))
      return {
        ok: false,
        code: ErrorCode.FORBIDDEN,
        message: `role '${admitted.principal.role}' may not open a live stream; it needs ${required.join(' or ')}`,
      };
    return { ok: true, principal: admitted.principal };
  }
}
