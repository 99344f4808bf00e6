import type { Role } from '@kcloud/common';
import {
  defaultRoles,
  isAllowed,
  isLoopbackAddress,
  isLoopbackOrigin,
  openModeRefusal,
  type Operation,
} from './access-policy';

const ops: readonly [string, Operation][] = [
  ['query', { transport: 'graphql', type: 'query' }],
  ['subscription', { transport: 'graphql', type: 'subscription' }],
  ['mutation', { transport: 'graphql', type: 'mutation' }],
  ['GET', { transport: 'http', method: 'GET' }],
  ['SSE', { transport: 'http', method: 'GET', stream: true }],
  ['POST', { transport: 'http', method: 'POST' }],
  ['DELETE', { transport: 'http', method: 'delete' }],
];

// role → the operations it may run by default
const EXPECTED: Readonly<Record<Role, readonly string[]>> = {
  viewer: ['query', 'GET'],
  partner: ['query', 'subscription', 'GET', 'SSE'],
  admin: ['query', 'subscription', 'mutation', 'GET', 'SSE', 'POST', 'DELETE'],
};

describe('default role rules', () => {
  it.each(Object.entries(EXPECTED))('%s may run exactly %j', (role, allowed) => {
    const actual = ops.filter(([, op]) => isAllowed(role as Role, defaultRoles(op))).map(([n]) => n);
    expect(actual).toEqual(allowed);
  });

  it.each([
    ['viewer', ['partner'], false],
    ['partner', ['partner'], true],
    ['admin', ['partner'], true],
    ['partner', ['viewer', 'admin'], true],
    ['partner', ['admin'], false],
  ] as const)('%s with @Roles(%j) → %s', (role, required, allowed) => {
    expect(isAllowed(role, required)).toBe(allowed);
  });
});

describe('loopback callers', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.10.0.3', true],
    ['::1', true],
    ['0:0:0:0:0:0:0:1', true],
    ['::ffff:127.0.0.1', true],
    ['192.0.2.2', false],
    ['::ffff:192.0.2.2', false],
    ['fd00::2', false],
    ['128.0.0.1', false],
    ['', false],
    [undefined, false],
  ])('address %s → %s', (address, loopback) => {
    expect(isLoopbackAddress(address)).toBe(loopback);
  });

  it.each([
    ['http://localhost:5173', true],
    ['http://app.localhost', true],
    ['https://127.0.0.1:3000', true],
    ['http://[::1]:3000', true],
    ['http://localhost.evil.example', false],
    ['http://127.0.0.1.nip.io', false],
    ['https://evil.example', false],
    ['null', false],
    ['file://localhost', false],
  ])('origin %s → %s', (origin, loopback) => {
    expect(isLoopbackOrigin(origin)).toBe(loopback);
  });
});

describe('open mode (no credentials configured)', () => {
  const local = { address: '127.0.0.1', host: 'localhost:3000' };
  const lan = { address: '192.0.2.7', host: 'devbox:3000' };
  it.each([
    ['a read from the LAN', lan, false, false, undefined],
    ['a read from the machine', local, false, false, undefined],
    ['an admin operation from the machine (curl, no Origin)', local, true, false, undefined],
    [
      'an admin operation from a local page',
      { ...local, origin: 'http://localhost:5173' },
      true,
      false,
      undefined,
    ],
    [
      'an admin operation from the LAN',
      lan,
      true,
      false,
      /admin operations are accepted from this machine only/,
    ],
    [
      'an admin operation relayed by a local reverse proxy',
      { ...local, forwarded: true },
      true,
      false,
      /this machine only/,
    ],
    ['a read relayed by a local reverse proxy', { ...local, forwarded: true }, false, false, undefined],
    ['an admin operation of unknown origin address', {}, true, false, /from this machine only/],
    [
      'a same-origin page on the LAN reading',
      { ...lan, origin: 'http://devbox:3000' },
      false,
      false,
      undefined,
    ],
    [
      'a same-origin page on the LAN mutating',
      { ...lan, origin: 'http://devbox:3000' },
      true,
      false,
      /this machine only/,
    ],
    [
      'a foreign page through the loopback browser',
      { ...local, origin: 'https://evil.example' },
      false,
      false,
      /pages of https:\/\/evil.example may not call this API/,
    ],
    [
      'a DNS-rebound page mutating',
      { address: '127.0.0.1', host: 'evil.example:3000', origin: 'http://evil.example:3000' },
      true,
      false,
      /this machine only/,
    ],
    [
      'a page listed in CORS_ORIGINS reading',
      { ...lan, origin: 'https://ui.example' },
      false,
      ['https://ui.example'],
      undefined,
    ],
    [
      'a page listed in CORS_ORIGINS mutating from the LAN',
      { ...lan, origin: 'https://ui.example' },
      true,
      ['https://ui.example'],
      /this machine only/,
    ],
  ] as const)('%s', (_name, caller, needsAdmin, allowed, refusal) => {
    const answer = openModeRefusal(caller, needsAdmin, allowed);
    if (refusal) expect(answer).toMatch(refusal);
    else expect(answer).toBeUndefined();
  });
});
