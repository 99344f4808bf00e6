import type { IncomingMessage } from 'node:http';
import { plainToInstance } from 'class-transformer';
import { EnvSchema } from '@kcloud/common';
import { RequestAdmission } from '../admission.service';
import { sha256Hex } from '../api-key';
import { AuthFailureThrottle } from '../auth-failure-throttle';
import { buildAuthSettings } from '../auth-settings';
import { Authenticator } from '../authenticator';
import { MemoryThrottlerStorage } from '../memory-throttler.storage';
import { RateLimiter } from '../rate-limiter.service';
import { GraphqlAccess } from './graphql-access.service';
import type { WsAccess } from './ws-access.service';

const KEYS = JSON.stringify([
  { name: 'team-a', sha256: sha256Hex('partner-key'), role: 'partner', namespaces: ['a'] },
]);

/**
 * A stored answer is served before Express (before AuthFailureMiddleware), so identify applies the failed-authentication
 * throttle itself: an address over its failures gets no stored answer, right key or not (it would tell a guesser which
 * key is right), exactly as the middleware refuses it before checking credentials.
 */
describe('GraphqlAccess.identify and the failed-authentication throttle', () => {
  const settings = buildAuthSettings(
    plainToInstance(
      EnvSchema,
      { API_KEYS: KEYS, AUTH_FAILURES_PER_MINUTE: 2 },
      { exposeDefaultValues: true },
    ),
  );
  const storage = new MemoryThrottlerStorage();
  const throttle = new AuthFailureThrottle(storage, settings);
  const access = new GraphqlAccess(
    new RequestAdmission(new Authenticator(settings), new RateLimiter(storage)),
    {} as WsAccess,
    settings,
    throttle,
  );
  const from = (address: string, key = 'partner-key') =>
    ({ headers: { 'x-api-key': key }, socket: { remoteAddress: address } }) as unknown as IncomingMessage;

  it('identifies a caller from an address under its failures, and nobody from one over them', async () => {
    expect(access.identify(from('192.0.2.1'))?.name).toBe('team-a');
    await throttle.failed(['addr:192.0.2.9']);
    expect(access.identify(from('192.0.2.9'))?.name).toBe('team-a');
    await throttle.failed(['addr:192.0.2.9']);
    expect(access.identify(from('192.0.2.9'))).toBeUndefined();
    expect(access.identify(from('192.0.2.1'))?.name).toBe('team-a');
  });

  it('identifies nobody while a failure of the address is still being counted', () => {
    void throttle.failed(['addr:192.0.2.7']);
    expect(access.identify(from('192.0.2.7'))).toBeUndefined();
  });
});
