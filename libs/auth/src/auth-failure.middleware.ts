import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { ErrorCode } from '@kcloud/common';
import { AuthFailureThrottle, failureSubjects, tooManyFailuresMessage } from './auth-failure-throttle';
import { AUTH_SETTINGS, type AuthSettings } from './auth-settings';
import { clientAddress } from './client-address';
import { credentialsFrom } from './credentials';

/**
 * Failed-authentication throttling over HTTP, in front of every route: a request that presents credentials from an
 * address (or as a Basic user) over AUTH_FAILURES_PER_MINUTE is answered 429 with Retry-After before its credentials
 * are checked; an answer of 401 to a request that presented credentials counts one failure. Requests without any
 * credentials are not guesses and are not counted.
 */
@Injectable()
export class AuthFailureMiddleware implements NestMiddleware {
  constructor(
    private readonly throttle: AuthFailureThrottle,
    @Inject(AUTH_SETTINGS) private readonly settings: AuthSettings,
  ) {}

  use(req: Request, res: Response, next: NextFunction): void {
    if (this.settings.mode !== 'enforced') return next();
    const credentials = credentialsFrom(req.headers.authorization, req.headers['x-api-key']);
    if (credentials.kind === 'none') return next();
    const subjects = failureSubjects(clientAddress(req, this.settings.trustProxy), credentials);
    const settled = this.throttle.settled(subjects);
    if (!settled) return this.admit(req, res, next, subjects);
    settled.then(
      () => this.admit(req, res, next, subjects),
      (e: unknown) => next(e),
    );
  }

  private admit(req: Request, res: Response, next: NextFunction, subjects: string[]): void {
    const wait = this.throttle.retryAfterSeconds(subjects);
    if (wait > 0) return refuse(req, res, wait);
    res.once('finish', () => {
      if (res.statusCode === 401) void this.throttle.failed(subjects);
    });
    next();
  }
}

/** 429 in the shape of the route: GraphQL's error list on /graphql, the REST error body elsewhere. */
function refuse(req: Request, res: Response, retryAfterSeconds: number): void {
  const message = tooManyFailuresMessage(retryAfterSeconds);
  res.status(429).setHeader('Retry-After', String(retryAfterSeconds));
  // originalUrl: a middleware's req.path is relative to where it is mounted.
  const path = (req.originalUrl.split('?')[0] ?? '').toLowerCase().replace(/\/+$/, '');
  if (path === '/graphql')
    res.json({ errors: [{ message, extensions: { code: ErrorCode.RATE_LIMITED, retryAfterSeconds } }] });
  else res.json({ statusCode: 429, code: ErrorCode.RATE_LIMITED, message, retryAfterSeconds });
}
