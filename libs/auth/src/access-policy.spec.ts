import type { Role } from '@kcloud/common';
import { defaultRoles, isAllowed, isOpenPath, type Operation } from './access-policy';

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

describe('open paths', () => {
  it.each([
    ['/health/live', true],
    ['/health/ready', true],
    ['/api/v1/system/health', true],
    ['/healthz', false],
    ['/api/v1/system/health/x', false],
    ['/api/v1/export/gpus', false],
    ['/metrics', false],
  ])('%s → %s', (path, open) => {
    expect(isOpenPath(path)).toBe(open);
  });
});
