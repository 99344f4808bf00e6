import { credentialsFrom } from './credentials';

const b64 = (s: string): string => Buffer.from(s).toString('base64');

describe('credentialsFrom', () => {
  it.each([
    ['nothing', undefined, undefined, { kind: 'none' }],
    ['a bearer key', 'Bearer abc', undefined, { kind: 'key', key: 'abc' }],
    ['a lower-case scheme', 'bearer abc', undefined, { kind: 'key', key: 'abc' }],
    ['X-API-Key', undefined, ' abc ', { kind: 'key', key: 'abc' }],
    ['Authorization over X-API-Key', 'Bearer a', 'b', { kind: 'key', key: 'a' }],
    ['basic', `Basic ${b64('admin:p:w')}`, undefined, { kind: 'basic', username: 'admin', password: 'p:w' }],
    ['basic without colon', `Basic ${b64('admin')}`, undefined, { kind: 'malformed' }],
    ['an unknown scheme', 'Digest x', undefined, { kind: 'malformed' }],
    ['a scheme without value', 'Bearer', undefined, { kind: 'malformed' }],
    ['a repeated header', undefined, ['a', 'b'], { kind: 'malformed' }],
    ['a 10 kB value', `Bearer ${'x'.repeat(10_240)}`, undefined, { kind: 'malformed' }],
  ])('reads %s', (_name, authorization, apiKey, expected) => {
    expect(credentialsFrom(authorization, apiKey)).toMatchObject(expected);
  });
});
