import type { IncomingMessage } from 'node:http';
import { ErrorCode, type Principal, UNRESTRICTED } from '@kcloud/common';
import type { RequestAdmission } from './admission.service';
import type { AuthFailureThrottle } from './auth-failure-throttle';
import type { AuthSettings } from './auth-settings';
import { StreamSocketAccess } from './stream-socket-access.service';

const principal = (role: Principal['role']): Principal => ({ name: `k-${role}`, role, scope: UNRESTRICTED });
const request = (headers: Record<string, string>, remoteAddress = '10.0.0.9'): IncomingMessage =>
  ({ headers, socket: { remoteAddress } }) as unknown as IncomingMessage;

function access(admit: RequestAdmission['admit'], wait = 0, mode: AuthSettings['mode'] = 'enforced') {
  const failed = jest.fn(async () => 0);
  const failures = { retryAfterSeconds: () => wait, failed } as unknown as AuthFailureThrottle;
  const settings = { mode, corsOrigins: false } as unknown as AuthSettings;
  return { failed, access: new StreamSocketAccess({ admit } as RequestAdmission, failures, settings) };
}

describe('StreamSocketAccess (the plain WebSocket live stream)', () => {
  it('admits partners and admins, refuses viewers like the SSE route (streams need partner)', async () => {
    for (const role of ['partner', 'admin'] as const) {
      const { access: a } = access(async () => ({ ok: true, principal: principal(role) }));
      expect(await a.admit(request({ 'x-api-key': 'k' }))).toEqual({ ok: true, principal: principal(role) });
    }
    const { access: a } = access(async () => ({ ok: true, principal: principal('viewer') }));
    expect(await a.admit(request({ authorization: 'Bearer k' }))).toMatchObject({
      ok: false,
      code: ErrorCode.FORBIDDEN,
    });
  });

  it('answers unknown credentials as UNAUTHENTICATED and counts the failure against the address', async () => {
    const { access: a, failed } = access(async () => ({
      ok: false,
      refusal: 'unauthenticated',
      message: 'unknown API key',
    }));
    expect(await a.admit(request({ authorization: 'Bearer nope-1234' }))).toMatchObject({
      code: ErrorCode.UNAUTHENTICATED,
    });
    expect(failed).toHaveBeenCalledTimes(1);
  });

  it('refuses before checking credentials once the address is over AUTH_FAILURES_PER_MINUTE', async () => {
    const admit = jest.fn();
    const { access: a } = access(admit, 42);
    expect(await a.admit(request({ authorization: 'Bearer guess-1' }))).toMatchObject({
      ok: false,
      code: ErrorCode.RATE_LIMITED,
      retryAfterSeconds: 42,
    });
    expect(admit).not.toHaveBeenCalled();
  });

  it('refuses a foreign page in open mode (no credentials configured), as the guard does', async () => {
    const { access: a } = access(async () => ({ ok: true, principal: principal('admin') }), 0, 'open');
    expect(
      await a.admit(request({ origin: 'https://evil.example', host: 'api:3000' }, '127.0.0.1')),
    ).toMatchObject({
      ok: false,
      code: ErrorCode.FORBIDDEN,
    });
    expect(await a.admit(request({ host: 'api:3000' }, '127.0.0.1'))).toMatchObject({ ok: true });
  });
});
