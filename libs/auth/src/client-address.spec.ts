import type { IncomingMessage } from 'node:http';
import { clientAddress, parseTrustProxy } from './client-address';

const request = (peer: string, forwardedFor?: string): Partial<IncomingMessage> =>
  ({
    socket: { remoteAddress: peer },
    headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
  }) as unknown as Partial<IncomingMessage>;

const trust = (value: string) => {
  const { trust: fn, problem } = parseTrustProxy(value);
  expect(problem).toBeUndefined();
  return fn;
};

describe('parseTrustProxy', () => {
  it('is off when unset or blank', () => {
    expect(parseTrustProxy(undefined)).toEqual({});
    expect(parseTrustProxy('  ')).toEqual({});
  });

  it("refuses 'true' (any client could name its own address) and 'false', with what to set instead", () => {
    expect(parseTrustProxy('true').problem).toMatch(/TRUST_PROXY: 'true' is not accepted; name the proxies/);
    expect(parseTrustProxy('FALSE').problem).toMatch(/not accepted/);
  });

  it('refuses an address that is not one, naming the variable', () => {
    expect(parseTrustProxy('10.0.0.0/8, not-an-address').problem).toMatch(/^TRUST_PROXY: .*not-an-address/);
    expect(parseTrustProxy('10.0.0.0/99').problem).toMatch(/^TRUST_PROXY: /);
  });
});

describe('clientAddress', () => {
  it('is the socket peer without TRUST_PROXY, whatever X-Forwarded-For says', () => {
    expect(clientAddress(request('10.1.2.3', '203.0.113.9'), undefined)).toBe('10.1.2.3');
  });

  it('takes the forwarded client when the peer is a trusted proxy', () => {
    expect(clientAddress(request('127.0.0.1', '203.0.113.9'), trust('loopback'))).toBe('203.0.113.9');
  });

  it('ignores X-Forwarded-For from a peer that is not trusted (a client cannot choose its address)', () => {
    expect(clientAddress(request('198.51.100.7', '203.0.113.9'), trust('loopback, 10.0.0.0/8'))).toBe(
      '198.51.100.7',
    );
  });

  it('walks the chain from the right only while hops are trusted', () => {
    const chain = '6.6.6.6, 203.0.113.9, 10.0.0.5';
    // Peer and 10.0.0.5 are ours: the client is the first untrusted hop, not the spoofable left end.
    expect(clientAddress(request('127.0.0.1', chain), trust('loopback, 10.0.0.0/8'))).toBe('203.0.113.9');
    expect(clientAddress(request('127.0.0.1', chain), trust('loopback'))).toBe('10.0.0.5');
  });

  it('trusts exactly N hops with a count', () => {
    expect(clientAddress(request('10.9.9.9', '6.6.6.6, 203.0.113.9'), trust('1'))).toBe('203.0.113.9');
    expect(clientAddress(request('10.9.9.9', '6.6.6.6, 203.0.113.9'), trust('2'))).toBe('6.6.6.6');
  });
});
