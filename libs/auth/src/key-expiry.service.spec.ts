import { plainToInstance } from 'class-transformer';
import { CredentialChanges, EnvSchema, type Principal } from '@kcloud/common';
import { sha256Hex } from './api-key';
import { buildAuthSettings } from './auth-settings';
import { Authenticator } from './authenticator';
import { KeyExpiryWatch } from './key-expiry.service';

describe('KeyExpiryWatch', () => {
  beforeEach(() => jest.useFakeTimers({ now: Date.parse('2026-06-01T00:00:00Z') }));
  afterEach(() => jest.useRealTimers());

  it("ends a key's streams at its expiresAt, and only that key's", () => {
    const env = plainToInstance(
      EnvSchema,
      {
        API_KEYS: JSON.stringify([
          {
            name: 'brief',
            sha256: sha256Hex('brief-key'),
            role: 'partner',
            expiresAt: '2026-06-01T00:00:30Z',
          },
          {
            name: 'lasting',
            sha256: sha256Hex('lasting-key'),
            role: 'partner',
            expiresAt: '2026-06-01T01:00:00Z',
          },
        ]),
      },
      { exposeDefaultValues: true },
    );
    const auth = new Authenticator(buildAuthSettings(env));
    const credentials = new CredentialChanges();
    const watch = new KeyExpiryWatch(auth, credentials);
    const ended: string[] = [];
    const open = (key: string) => {
      const outcome = auth.authenticate({ kind: 'key', key });
      const principal = (outcome as { principal: Principal }).principal;
      credentials.revoked(principal).subscribe(() => ended.push(principal.name));
    };
    open('brief-key');
    open('lasting-key');
    watch.onModuleInit();

    jest.advanceTimersByTime(29_999);
    expect(ended).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(ended).toEqual(['brief']);
    jest.advanceTimersByTime(3_600_000);
    expect(ended).toEqual(['brief', 'lasting']);
    watch.onModuleDestroy();
  });
});
