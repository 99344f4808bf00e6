import { plainToInstance } from 'class-transformer';
import { ConfigError, EnvSchema } from '@kcloud/common';
import { sha256Hex } from './api-key';
import { buildAuthSettings } from './auth-settings';

const env = (vars: Record<string, string>): EnvSchema =>
  plainToInstance(EnvSchema, vars, { exposeDefaultValues: true });
const KEYS = JSON.stringify([{ name: 'ops', sha256: sha256Hex('k'), role: 'admin' }]);
const noFile = (): string => {
  throw Object.assign(new Error('missing'), { code: 'ENOENT' });
};

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (e) {
    if (e instanceof ConfigError) return [...e.problems];
    throw e;
  }
  return [];
}

describe('buildAuthSettings', () => {
  it.each([
    ['keys configured', { API_KEYS: KEYS }, 'enforced'],
    ['basic account configured', { API_AUTH_USERNAME: 'admin', API_AUTH_PASSWORD: 'pw' }, 'enforced'],
    ['nothing configured in development', {}, 'open'],
    ['nothing configured in test', { NODE_ENV: 'test' }, 'open'],
    ['AUTH_MODE=off even with keys', { AUTH_MODE: 'off', API_KEYS: KEYS }, 'off'],
    ['AUTH_MODE=off in production', { AUTH_MODE: 'off', NODE_ENV: 'production' }, 'off'],
  ])('mode with %s', (_name, vars, mode) => {
    expect(buildAuthSettings(env(vars), noFile).mode).toBe(mode);
  });

  it('refuses to start in production without any credential, saying how to fix it', () => {
    const problems = problemsOf(() => buildAuthSettings(env({ NODE_ENV: 'production' }), noFile));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /NODE_ENV=production needs credentials: set API_KEYS, API_KEYS_FILE or API_AUTH_USERNAME/,
    );
  });

  it.each([
    ['a token is set', { NODE_ENV: 'production', API_KEYS: KEYS, METRICS_TOKEN: 't' }, 'token'],
    ['production with credentials and no token', { NODE_ENV: 'production', API_KEYS: KEYS }, 'admin'],
    [
      'production, no token, METRICS_PUBLIC',
      { NODE_ENV: 'production', API_KEYS: KEYS, METRICS_PUBLIC: 'true' },
      'open',
    ],
    ['development with credentials and no token', { API_KEYS: KEYS }, 'open'],
    ['production with AUTH_MODE=off', { NODE_ENV: 'production', AUTH_MODE: 'off' }, 'open'],
  ])('/metrics access when %s', (_name, vars, access) => {
    expect(buildAuthSettings(env(vars), noFile).metricsAccess).toBe(access);
  });

  it('refuses a TRUST_PROXY that would let clients choose their address, and compiles a valid one', () => {
    expect(problemsOf(() => buildAuthSettings(env({ API_KEYS: KEYS, TRUST_PROXY: 'true' }), noFile))).toEqual(
      [expect.stringMatching(/^TRUST_PROXY: 'true' is not accepted/)],
    );
    const { trustProxy } = buildAuthSettings(env({ API_KEYS: KEYS, TRUST_PROXY: '10.0.0.0/8' }), noFile);
    expect([trustProxy?.('10.2.3.4', 0), trustProxy?.('127.0.0.1', 0)]).toEqual([true, false]);
    expect(buildAuthSettings(env({ API_KEYS: KEYS }), noFile).trustProxy).toBeUndefined();
  });

  it('reads keys from API_KEYS_FILE and merges them with API_KEYS', () => {
    const file = JSON.stringify([
      { name: 'partner', sha256: sha256Hex('p'), role: 'partner', namespaces: ['a'] },
    ]);
    const s = buildAuthSettings(env({ API_KEYS: KEYS, API_KEYS_FILE: '/run/secrets/keys' }), (path) => {
      expect(path).toBe('/run/secrets/keys');
      return file;
    });
    expect(s.keys.map((k) => k.name)).toEqual(['ops', 'partner']);
  });

  it.each([
    ['an unreadable key file', { API_KEYS_FILE: '/nope' }, 'API_KEYS_FILE cannot be read (ENOENT)'],
    ['a duplicate key name', { API_KEYS: KEYS, API_KEYS_FILE: '/f' }, "API key name 'ops' is used twice"],
    ['a user without password', { API_AUTH_USERNAME: 'admin' }, 'must be set together'],
    [
      'a user named like a key',
      { API_KEYS: KEYS, API_AUTH_USERNAME: 'ops', API_AUTH_PASSWORD: 'x' },
      'also the name of an API key',
    ],
  ])('lists %s as a config problem', (_name, vars, message) => {
    const read = (p: string): string => (p === '/f' ? KEYS : noFile());
    expect(problemsOf(() => buildAuthSettings(env(vars), read)).join('\n')).toContain(message);
  });

  it.each([
    ['development default (NODE_ENV unset): none', {}, false],
    ['production default: none', { NODE_ENV: 'production', AUTH_MODE: 'off' }, false],
    [
      'a list',
      { CORS_ORIGINS: 'https://a.example, https://b.example' },
      ['https://a.example', 'https://b.example'],
    ],
    ['a star', { NODE_ENV: 'production', AUTH_MODE: 'off', CORS_ORIGINS: '*' }, true],
  ])('CORS origins: %s', (_name, vars, expected) => {
    expect(buildAuthSettings(env(vars), noFile).corsOrigins).toEqual(expected);
  });

  it.each(['https://a.example/', 'a.example', 'https://a.example/app', 'null'])(
    'refuses CORS_ORIGINS entry %s, which is not an origin',
    (entry) => {
      expect(
        problemsOf(() => buildAuthSettings(env({ CORS_ORIGINS: `https://ok.example,${entry}` }), noFile)),
      ).toEqual([`CORS_ORIGINS entry '${entry}' is not an origin (scheme://host[:port], no path)`]);
    },
  );

  it('keeps only digests of the password and the metrics token', () => {
    const s = buildAuthSettings(
      env({ API_AUTH_USERNAME: 'admin', API_AUTH_PASSWORD: 'hunter2', METRICS_TOKEN: 'scrape-me' }),
      noFile,
    );
    expect(JSON.stringify(s)).not.toMatch(/hunter2|scrape-me/);
    expect(s.basic?.passwordSha256.toString('hex')).toBe(sha256Hex('hunter2'));
  });
});
