import { type ArgumentsHost, BadRequestException, ServiceUnavailableException } from '@nestjs/common';
import { HttpErrorFilter } from './http-exception.filter';

function answer(exception: unknown): { status: number; body: Record<string, unknown> } {
  const out = { status: 0, body: {} as Record<string, unknown> };
  const res = {
    headersSent: false,
    status(s: number) {
      out.status = s;
      return this;
    },
    json(b: Record<string, unknown>) {
      out.body = b;
      return this;
    },
  };
  const host = {
    getType: () => 'http',
    switchToHttp: () => ({ getResponse: () => res }),
  } as unknown as ArgumentsHost;
  new HttpErrorFilter().catch(exception, host);
  return out;
}

describe('HttpErrorFilter', () => {
  it('keeps a failing health check’s indicators in the 503 answer', () => {
    const result = {
      status: 'error',
      info: {},
      error: { clusters: { status: 'down', reason: 'no cluster answers' } },
      details: { clusters: { status: 'down', reason: 'no cluster answers' } },
    };
    const { status, body } = answer(new ServiceUnavailableException(result));
    expect(status).toBe(503);
    expect(body).toMatchObject({
      statusCode: 503,
      status: 'error',
      error: result.error,
      details: result.details,
    });
  });

  it('answers other HTTP exceptions with the status, a code and the message only', () => {
    const { status, body } = answer(new BadRequestException({ message: 'bad step', secret: 'internal' }));
    expect(status).toBe(400);
    expect(body).toEqual({ statusCode: 400, code: 'BAD_USER_INPUT', message: 'bad step' });
  });
});
