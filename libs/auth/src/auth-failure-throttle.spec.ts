import type { ThrottlerStorage } from '@nestjs/throttler';
import { AuthFailureThrottle, failureSubjects } from './auth-failure-throttle';
import type { AuthSettings } from './auth-settings';

const LIMIT = 3;
const settings = { authFailuresPerMinute: LIMIT } as AuthSettings;

/** A storage shared by "replicas", as Redis is: one count per key, a fixed window. */
function sharedStorage(): ThrottlerStorage & { readonly hits: Map<string, number> } {
  const hits = new Map<string, number>();
  return {
    hits,
    increment: (key: string) => {
      const n = (hits.get(key) ?? 0) + 1;
      hits.set(key, n);
      return Promise.resolve({ totalHits: n, timeToExpire: 42, isBlocked: n > LIMIT, timeToBlockExpire: 0 });
    },
  } as never;
}

describe('failureSubjects', () => {
  it.each([
    ['a key: the address only', { kind: 'key', key: 'k' }, ['addr:192.0.2.1']],
    [
      'Basic: the address and the user name',
      { kind: 'basic', username: 'root', password: 'x' },
      ['addr:192.0.2.1', 'user:root'],
    ],
    ['malformed credentials: the address', { kind: 'malformed', reason: 'x' }, ['addr:192.0.2.1']],
  ] as const)('%s', (_name, credentials, subjects) => {
    expect(failureSubjects('192.0.2.1', credentials)).toEqual(subjects);
  });
});

describe('AuthFailureThrottle', () => {
  it('refuses a subject after AUTH_FAILURES_PER_MINUTE failures until its window ends, and no other subject', async () => {
    let now = 1_000_000;
    const throttle = new AuthFailureThrottle(sharedStorage(), settings, () => now);
    for (let i = 1; i < LIMIT; i++) expect(await throttle.failed(['addr:a'])).toBe(0);
    expect(throttle.retryAfterSeconds(['addr:a'])).toBe(0);
    expect(await throttle.failed(['addr:a'])).toBeGreaterThan(0);
    expect(throttle.retryAfterSeconds(['addr:a'])).toBeGreaterThan(0);
    expect(throttle.retryAfterSeconds(['addr:b'])).toBe(0);
    // A Basic attempt is refused when either its address or its user name is over the limit.
    expect(throttle.retryAfterSeconds(['addr:b', 'user:root'])).toBe(0);
    expect(throttle.retryAfterSeconds(['addr:a', 'user:root'])).toBeGreaterThan(0);
    now += 60_001;
    expect(throttle.retryAfterSeconds(['addr:a'])).toBe(0);
  });

  it('counts a burst synchronously: the attempt after the limit is refused before any storage answer', () => {
    const never = { increment: () => new Promise(() => undefined) } as unknown as ThrottlerStorage;
    const throttle = new AuthFailureThrottle(never, settings);
    for (let i = 0; i < LIMIT; i++) void throttle.failed(['addr:a']);
    expect(throttle.retryAfterSeconds(['addr:a'])).toBeGreaterThan(0);
  });

  it("refuses on a replica that sees one failure once the shared count is over the limit (other replicas' failures)", async () => {
    const storage = sharedStorage();
    const a = new AuthFailureThrottle(storage, settings);
    const b = new AuthFailureThrottle(storage, settings);
    for (let i = 0; i < LIMIT; i++) await a.failed(['addr:x']);
    expect(b.retryAfterSeconds(['addr:x'])).toBe(0);
    expect(await b.failed(['addr:x'])).toBe(42);
    expect(b.retryAfterSeconds(['addr:x'])).toBe(42);
  });

  it('still counts on this replica when the storage throws', async () => {
    const broken = { increment: () => Promise.reject(new Error('down')) } as unknown as ThrottlerStorage;
    const throttle = new AuthFailureThrottle(broken, settings);
    for (let i = 0; i < LIMIT; i++) await throttle.failed(['addr:a']);
    expect(throttle.retryAfterSeconds(['addr:a'])).toBeGreaterThan(0);
  });
});

describe('AuthFailureThrottle.settled', () => {
  it('lets the next attempt wait for the shared count of the failure before it, and then refuses it', async () => {
    const storage = sharedStorage();
    const a = new AuthFailureThrottle(storage, settings);
    const b = new AuthFailureThrottle(storage, settings);
    for (let i = 0; i < LIMIT; i++) await a.failed(['addr:x']);
    expect(b.settled(['addr:x'])).toBeUndefined();
    void b.failed(['addr:x']); // B answered 401; the next attempt arrives before Redis answered
    expect(b.retryAfterSeconds(['addr:x'])).toBe(0);
    await b.settled(['addr:x']);
    expect(b.retryAfterSeconds(['addr:x'])).toBe(42);
    expect(b.settled(['addr:x'])).toBeUndefined();
  });

  it('does not hold an attempt longer than a bounded wait when the storage never answers', async () => {
    const never = { increment: () => new Promise(() => undefined) } as unknown as ThrottlerStorage;
    const throttle = new AuthFailureThrottle(never, settings);
    void throttle.failed(['addr:a']);
    await expect(throttle.settled(['addr:a'])).resolves.toBeUndefined();
  });
});
