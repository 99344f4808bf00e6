import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const REQUEST_ID_HEADER = 'X-Request-Id';

/**
 * A caller's id is kept when it is short and plain (a UUID, a trace id, `req-42`): it lands verbatim in every log line
 * of the request and in the response header, so anything else (a 10 KB value, a newline, quotes) is replaced.
 */
const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export function acceptedRequestId(raw: string | string[] | undefined): string | undefined {
  const value = Array.isArray(raw) ? raw[0] : raw;
  return value !== undefined && SAFE_ID.test(value) ? value : undefined;
}

/** The caller's X-Request-Id when acceptable, else a new UUID. */
export function newRequestId(req: IncomingMessage): string {
  return acceptedRequestId(req.headers['x-request-id']) ?? randomUUID();
}

/** pino-http's `genReqId`: the request's id (newRequestId), echoed in the response. */
export function requestIdOf(req: IncomingMessage, res: ServerResponse): string {
  const id = newRequestId(req);
  if (!res.headersSent) res.setHeader(REQUEST_ID_HEADER, id);
  return id;
}
