import { plainToInstance } from 'class-transformer';
import { EnvSchema } from '@kcloud/common';
import { sha256Hex } from './api-key';
import { buildAuthSettings } from './auth-settings';
import { ANONYMOUS_ADMIN, Authenticator } from './authenticator';

const NOW = Date.parse('2026-06-01T00:00:00Z');
const KEYS = [
  { name: 'ops', sha256: sha256Hex('admin-key'), role: 'admin' },
  { name: 'team-a', sha256: sha256Hex('partner-key'), role: 'partner', namespaces: ['team-a'] },
  {
    name: 'west',
    sha256: sha256Hex('viewer-key'),
    role: 'viewer',
    clusters: ['west'],
    rateLimitPerMinute: 5,
  },
  { name: 'old', sha256: sha256Hex('old-key'), role: 'partner', expiresAt: '2026-05-31T23:59:59Z' },
];

function authenticator(vars: Record<string, string> = {}): Authenticator {
  const env = plainToInstance(
    EnvSchema,
    { API_KEYS: JSON.stringify(KEYS), API_AUTH_USERNAME: 'admin', API_AUTH_PASSWORD: 'pw', ...vars },
    { exposeDefaultValues: true },
  );
  return new Authenticator(buildAuthSettings(env), () => NOW);
}

describe('Authenticator', () => {
  const auth = authenticator();

  it.each([
    ['the admin key', { kind: 'key', key: 'admin-key' }, { name: 'ops', role: 'admin', scope: {} }],
    [
      'a namespace-scoped partner key',
      { kind: 'key', key: 'partner-key' },
      { name: 'team-a', role: 'partner', scope: { namespaces: ['team-a'] } },
    ],
    [
      'a cluster-scoped viewer key',
      { kind: 'key', key: 'viewer-key' },
      { name: 'west', role: 'viewer', scope: { clusters: ['west'] } },
    ],
    [
      'the Basic account',
      { kind: 'basic', username: 'admin', password: 'pw' },
      { name: 'admin', role: 'admin', scope: {} },
    ],
  ] as const)('accepts %s', (_name, credentials, principal) => {
    const outcome = auth.authenticate(credentials);
    expect(outcome).toMatchObject({ ok: true, principal });
  });

  it.each([
    ['no credentials', { kind: 'none' }, 'missing'],
    ['a wrong key', { kind: 'key', key: 'admin-key ' }, 'invalid'],
    ['a key hash given as the key', { kind: 'key', key: sha256Hex('admin-key') }, 'invalid'],
    ['an expired key', { kind: 'key', key: 'old-key' }, 'expired'],
    ['a wrong password', { kind: 'basic', username: 'admin', password: 'PW' }, 'invalid'],
    ['a wrong user', { kind: 'basic', username: 'root', password: 'pw' }, 'invalid'],
    ['malformed credentials', { kind: 'malformed', reason: 'x' }, 'malformed'],
  ] as const)('refuses %s', (_name, credentials, failure) => {
    expect(auth.authenticate(credentials)).toMatchObject({ ok: false, failure });
  });

  it('gives a key its own rate limit, others the default', () => {
    expect(auth.rateLimitOf('west')).toBe(5);
    expect(auth.rateLimitOf('ops')).toBe(600);
    expect(auth.rateLimitOf('admin')).toBe(600);
  });

  it('treats every caller as an unrestricted admin when auth is off, whatever they send', () => {
    const off = authenticator({ AUTH_MODE: 'off' });
    expect(off.enforced).toBe(false);
    expect(off.authenticate({ kind: 'key', key: 'wrong' })).toEqual({ ok: true, principal: ANONYMOUS_ADMIN });
  });

  describe('stillGrants', () => {
    const principalOf = (a: Authenticator, key: string) => {
      const outcome = a.authenticate({ kind: 'key', key });
      if (!outcome.ok) throw new Error(outcome.message);
      return outcome.principal;
    };
    const entry = (over: Record<string, unknown>) =>
      ({
        name: 'team-a',
        sha256: sha256Hex('partner-key'),
        role: 'partner',
        namespaces: ['team-a'],
        ...over,
      }) as never;

    it.each([
      ['the same entry', {}, undefined],
      [
        'the key rotated under the same name (another hash)',
        { sha256: sha256Hex('new-partner-key') },
        'revoked',
      ],
      ['another role', { role: 'viewer' }, 'changed'],
      ['another scope', { namespaces: ['team-b'] }, 'changed'],
      ['an expiry added', { expiresAt: new Date(NOW + 60_000) }, 'changed'],
    ] as const)('after a reload to %s: %s', (_name, over, lapse) => {
      const a = authenticator();
      const principal = principalOf(a, 'partner-key');
      a.replaceKeys([...a.keys().filter((k) => k.name !== 'team-a'), entry(over)]);
      expect(a.lapseOf(principal)).toBe(lapse);
      expect(a.stillGrants(principal)).toBe(lapse === undefined);
    });

    it('ends the grant of a key that was removed, and at the expiry of a key that had one', () => {
      let now = NOW;
      const env = plainToInstance(
        EnvSchema,
        {
          API_KEYS: JSON.stringify([
            ...KEYS,
            { ...KEYS[1], name: 'brief', sha256: sha256Hex('brief-key'), expiresAt: '2026-06-01T00:01:00Z' },
          ]),
        },
        { exposeDefaultValues: true },
      );
      const a = new Authenticator(buildAuthSettings(env), () => now);
      const brief = principalOf(a, 'brief-key');
      const partner = principalOf(a, 'partner-key');
      expect(a.lapseOf(brief)).toBeUndefined();
      now += 60_000;
      expect(a.lapseOf(brief)).toBe('expired');
      a.replaceKeys(a.keys().filter((k) => k.name !== 'team-a'));
      expect(a.lapseOf(partner)).toBe('revoked');
    });

    it('keeps granting the Basic account, which is not a key', () => {
      const a = authenticator();
      const outcome = a.authenticate({ kind: 'basic', username: 'admin', password: 'pw' });
      a.replaceKeys([]);
      expect(outcome.ok && a.stillGrants(outcome.principal)).toBe(true);
    });
  });
});
