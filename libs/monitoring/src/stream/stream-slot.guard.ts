import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError, ErrorCode, KeyQuota, type Principal } from '@kcloud/common';

/**
 * Claims the SSE stream's slots (one connection under MAX_CONNECTIONS_PER_KEY, one subscription under
 * MAX_SUBSCRIPTIONS_PER_KEY, across replicas with Redis) before the handler runs, so a refusal is a plain 429: an
 * asynchronous refusal from an @Sse handler would reach the client after the event-stream headers. The slots are held
 * while the response is open and given back when it closes, whoever ends it (the stream, a revocation, the client).
 * Runs after the global AccessGuard, which set the principal.
 */
@Injectable()
export class StreamSlotGuard implements CanActivate {
  constructor(private readonly quota: KeyQuota) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const http = ctx.switchToHttp();
    const req = http.getRequest<Request & { principal?: Principal }>();
    const claim = await this.quota.claimStream(req.principal);
    if (!claim.ok) throw new DomainError(ErrorCode.RATE_LIMITED, claim.message, { limit: claim.setting });
    const res = http.getResponse<Response>();
    if (res.writableFinished || res.destroyed) claim.lease.release();
    else res.once('close', () => claim.lease.release());
    return true;
  }
}
