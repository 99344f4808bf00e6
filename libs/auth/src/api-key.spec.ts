import { parseApiKeys, sha256Hex } from './api-key';

const HASH = sha256Hex('secret');

describe('parseApiKeys', () => {
  it('reads a full entry, lower-casing the hash and dropping empty scopes', () => {
    const problems: string[] = [];
    const keys = parseApiKeys(
      JSON.stringify([
        {
          name: 'team-a',
          sha256: HASH.toUpperCase(),
          role: 'partner',
          namespaces: ['team-a', 'team-a'],
          clusters: [],
          expiresAt: '2030-01-01T00:00:00Z',
          rateLimitPerMinute: 60,
        },
      ]),
      'API_KEYS',
      problems,
    );
    expect(problems).toEqual([]);
    expect(keys).toEqual([
      {
        name: 'team-a',
        sha256: HASH,
        role: 'partner',
        namespaces: ['team-a'],
        expiresAt: new Date('2030-01-01T00:00:00Z'),
        rateLimitPerMinute: 60,
      },
    ]);
  });

  it.each([
    ['not JSON', '[{', 'API_KEYS is not valid JSON'],
    ['not a list', '{}', 'API_KEYS must be a JSON list'],
    ['not an object', '[1]', 'API_KEYS[0] must be an object'],
    [
      'bad name',
      JSON.stringify([{ name: 'a b', sha256: HASH, role: 'admin' }]),
      'API_KEYS[0].name must match',
    ],
    [
      'short hash',
      JSON.stringify([{ name: 'a', sha256: 'abc', role: 'admin' }]),
      "API_KEYS[0] ('a').sha256 must be 64 hex digits",
    ],
    [
      'unknown role',
      JSON.stringify([{ name: 'a', sha256: HASH, role: 'root' }]),
      "API_KEYS[0] ('a').role must be one of viewer, partner, admin",
    ],
    [
      'plain key given',
      JSON.stringify([{ name: 'a', key: 'secret', sha256: HASH, role: 'admin' }]),
      'never the key itself',
    ],
    [
      'unknown field',
      JSON.stringify([{ name: 'a', sha256: HASH, role: 'admin', scope: 'x' }]),
      'unknown fields: scope',
    ],
    [
      'bad namespaces',
      JSON.stringify([{ name: 'a', sha256: HASH, role: 'admin', namespaces: [''] }]),
      'namespaces must be a list of non-empty names',
    ],
    [
      'bad expiry',
      JSON.stringify([{ name: 'a', sha256: HASH, role: 'admin', expiresAt: 'soon' }]),
      'expiresAt must be an ISO-8601 time',
    ],
    [
      'bad rate',
      JSON.stringify([{ name: 'a', sha256: HASH, role: 'admin', rateLimitPerMinute: 0 }]),
      'rateLimitPerMinute must be a positive integer',
    ],
  ])('refuses %s', (_name, json, message) => {
    const problems: string[] = [];
    expect(parseApiKeys(json, 'API_KEYS', problems)).toEqual([]);
    expect(problems.join('\n')).toContain(message);
  });

  it('never echoes a hash in a message', () => {
    const problems: string[] = [];
    parseApiKeys(JSON.stringify([{ name: 'a', sha256: `${HASH}00`, role: 'admin' }]), 'API_KEYS', problems);
    expect(problems.join('\n')).not.toContain(HASH);
  });
});
