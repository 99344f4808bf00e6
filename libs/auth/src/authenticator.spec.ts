import { plainToInstance } from 'class-transformer';
import { EnvSchema } from '@kcloud/common';
import { sha256Hex } from './api-key';
import { buildAuthSettings } from './auth-settings';
import { ANONYMOUS_ADMIN, Authenticator } from './authenticator';

const NOW = Date.parse('2026-06-01T00:00:00Z');
const KEYS = [
  { name: 'ops', sha256: sha256Hex('admin-key'), role: 'admin' },
  { name: 'team-a', sha256: sha256Hex('partner-key'), role: 'partner', namespaces: ['team-a'] },
  { name: 'west', sha256: sha256Hex('viewer-key'), role: 'viewer', clusters: ['west'], rateLimitPerMinute: 5 },
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
    ['a namespace-scoped partner key', { kind: 'key', key: 'partner-key' }, { name: 'team-a', role: 'partner', scope: { namespaces: ['team-a'] } }],
    ['a cluster-scoped viewer key', { kind: 'key', key: 'viewer-key' }, { name: 'west', role: 'viewer', scope: { clusters: ['west'] } }],
    ['the Basic account', { kind: 'basic', username: 'admin', password: 'pw' }, { name: 'admin', role: 'admin', scope: {} }],
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
});
