import type { IncomingHttpHeaders } from 'node:http';
import { Injectable } from '@nestjs/common';
import type { Principal } from '@kcloud/common';
import { Authenticator } from './authenticator';
import { credentialsFrom } from './credentials';
import { RateLimiter, type RateDecision } from './rate-limiter.service';

export type Admission =
  | { readonly ok: true; readonly principal: Principal; readonly rate?: RateDecision }
  | { readonly ok: false; readonly refusal: 'unauthenticated'; readonly message: string }
  | { readonly ok: false; readonly refusal: 'rate-limited'; readonly rate: RateDecision };

/**
 * One HTTP request's way in, shared by REST routes (the guard) and GraphQL over HTTP (the context factory):
 * credentials from the headers, then one hit on the caller's per-minute budget when authentication is enforced.
 */
@Injectable()
export class RequestAdmission {
  constructor(
    private readonly auth: Authenticator,
    private readonly limiter: RateLimiter,
  ) {}

  async admit(headers: IncomingHttpHeaders): Promise<Admission> {
    const outcome = this.auth.authenticate(credentialsFrom(headers.authorization, headers['x-api-key']));
    if (!outcome.ok) return { ok: false, refusal: 'unauthenticated', message: outcome.message };
    const { principal } = outcome;
    const rate = await this.charge(principal, 1);
    if (!rate) return { ok: true, principal };
    return rate.allowed ? { ok: true, principal, rate } : { ok: false, refusal: 'rate-limited', rate };
  }

  /** Who the credentials name, nothing charged (a stored GraphQL answer is charged only once it is found). */
  authenticate(headers: IncomingHttpHeaders): Principal | undefined {
    const outcome = this.auth.authenticate(credentialsFrom(headers.authorization, headers['x-api-key']));
    return outcome.ok ? outcome.principal : undefined;
  }

  /** `units` on the caller's per-minute budget; undefined when authentication is not enforced (no budget). */
  charge(principal: Principal, units: number): Promise<RateDecision | undefined> {
    if (!this.auth.enforced) return Promise.resolve(undefined);
    return this.limiter.hit(principal.name, this.auth.rateLimitOf(principal.name), units);
  }
}
