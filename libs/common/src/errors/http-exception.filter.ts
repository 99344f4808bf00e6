import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError } from './domain-error';
import { ErrorCode, httpStatusOf } from './error-code';

/** Translates DomainErrors on REST routes into `{ statusCode, code, message, ...details }`; GraphQL has its own path. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(HttpErrorFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) {
      // A stream already started: the only honest signal left is to abort it so the client sees a broken file.
      res.destroy(exception instanceof Error ? exception : undefined);
      return;
    }
    if (exception instanceof DomainError) {
      const status = httpStatusOf(exception.code);
      res
        .status(status)
        .json({ statusCode: status, code: exception.code, message: exception.message, ...exception.details });
      return;
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const message =
        typeof body === 'string' ? body : ((body as { message?: unknown }).message ?? exception.message);
      res.status(status).json({
        // A failing health check (Terminus) says which indicator failed: a probe's reader needs that, not a bare 503.
        ...(isHealthCheckResult(body) ? body : {}),
        statusCode: status,
        code: status >= 500 ? ErrorCode.INTERNAL : codeOfStatus(status),
        message,
      });
      return;
    }
    if (isClientError(exception)) {
      // Express middleware (body-parser: body too large, malformed JSON) reports http-errors with a 4xx status.
      const status = exception.status;
      res.status(status).json({ statusCode: status, code: codeOfStatus(status), message: exception.message });
      return;
    }
    this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    res.status(500).json({ statusCode: 500, code: ErrorCode.INTERNAL, message: 'Internal server error' });
  }
}

function codeOfStatus(status: number): ErrorCode {
  if (status === 401) return ErrorCode.UNAUTHENTICATED;
  if (status === 403) return ErrorCode.FORBIDDEN;
  if (status === 404) return ErrorCode.NOT_FOUND;
  if (status === 429) return ErrorCode.RATE_LIMITED;
  return ErrorCode.BAD_USER_INPUT;
}

function isClientError(e: unknown): e is Error & { status: number } {
  const status = (e as { status?: unknown } | null)?.status;
  return e instanceof Error && typeof status === 'number' && status >= 400 && status < 500;
}

/** Terminus' answer shape: `{ status: 'error' | 'shutting_down', info, error, details }`. */
function isHealthCheckResult(body: unknown): body is Record<string, unknown> {
  if (typeof body !== 'object' || body === null) return false;
  const b = body as Record<string, unknown>;
  return typeof b.status === 'string' && typeof b.details === 'object' && b.details !== null;
}
