import { Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { AuthSettings } from './auth-settings';
import type { Credentials } from './credentials';

const WINDOW_MS = 60_000;
const THROTTLER_NAME = 'auth-failure';
// Ended windows are swept when the maps grow past this, so a spray of addresses cannot grow them without bound.
const SWEEP_ABOVE = 10_000;
// How long an attempt waits for the failures before it to be counted: a storage that hangs must not hang the API.
const SETTLE_WAIT_MS = 500;

interface Window {
  count: number;
  readonly endsAt: number;
}

/**
 * Who a failed authentication is counted against: the client's address, and for Basic the user name it tried (an API
 * key has no name until it matches, and counting by the presented secret would stop nobody).
 */
export function failureSubjects(address: string | undefined, credentials: Credentials): string[] {
  const subjects = [`addr:${address ?? 'unknown'}`];
  if (credentials.kind === 'basic') subjects.push(`user:${credentials.username.slice(0, 256)}`);
  return subjects;
}

/**
 * Failed-authentication throttling (AUTH_FAILURES_PER_MINUTE per subject, fixed one-minute windows). Failures are
 * counted in the rate limiter's storage (Redis when REDIS_URL is set, so every replica adds to one count) and in this
 * replica's memory. A subject over the limit is refused before its credentials are even checked, correct ones included,
 * so guessing learns nothing until the window ends.
 *
 * The check is synchronous and local: a replica refuses as soon as its own count, or the shared count it read back
 * when it last counted a failure of that subject, reaches the limit. With R replicas an attacker gets at most
 * limit + R − 1 answers per window (one more on each replica that had not seen the subject fail yet), and a
 * successful request pays no extra Redis round trip.
 */
export class AuthFailureThrottle {
  private readonly logger = new Logger('Auth');
  private readonly local = new Map<string, Window>();
  private readonly blockedUntil = new Map<string, number>();
  // Failures whose shared count is still being read back, per subject.
  private readonly counting = new Map<string, Promise<void>>();

  constructor(
    private readonly storage: ThrottlerStorage,
    private readonly settings: AuthSettings,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds until `subjects` may try again; 0 when none of them is over the limit. */
  retryAfterSeconds(subjects: readonly string[]): number {
    const now = this.now();
    const until = Math.max(0, ...subjects.map((s) => this.blockedUntil.get(s) ?? 0));
    return until > now ? Math.max(1, Math.ceil((until - now) / 1000)) : 0;
  }

  /**
   * Resolves once the failures of `subjects` still being counted in the shared storage are counted; undefined when
   * none is. A client that sends its next attempt as soon as a 401 arrives would otherwise be judged before its last
   * failure (and the other replicas' count read back with it) is known here.
   */
  settled(subjects: readonly string[]): Promise<void> | undefined {
    const pending = subjects.map((s) => this.counting.get(s)).filter((p) => p !== undefined);
    if (!pending.length) return undefined;
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => (timer = setTimeout(resolve, SETTLE_WAIT_MS)));
    return Promise.race([Promise.all(pending).then(() => undefined), waited]).finally(() =>
      clearTimeout(timer),
    );
  }

  /** Counts one failed authentication against every subject; resolves with the retry-after now in force. */
  async failed(subjects: readonly string[]): Promise<number> {
    const limit = this.settings.authFailuresPerMinute;
    const now = this.now();
    if (this.local.size > SWEEP_ABOVE) this.sweep(now);
    for (const subject of subjects) {
      let window = this.local.get(subject);
      if (!window || window.endsAt <= now)
        this.local.set(subject, (window = { count: 0, endsAt: now + WINDOW_MS }));
      if (++window.count >= limit) this.block(subject, window.endsAt);
    }
    await Promise.all(subjects.map((subject) => this.countShared(subject, limit)));
    return this.retryAfterSeconds(subjects);
  }

  private countShared(subject: string, limit: number): Promise<void> {
    const counted = (async () => {
      try {
        const r = await this.storage.increment(
          `auth-failure:${subject}`,
          WINDOW_MS,
          limit,
          0,
          THROTTLER_NAME,
        );
        if (r.totalHits >= limit) this.block(subject, this.now() + Math.max(1, r.timeToExpire) * 1000);
      } catch (e) {
        // The storage fails open by itself; this guards against one that throws. The local count still holds.
        this.logger.warn(`failed authentications counted on this replica only: ${(e as Error).message}`);
      }
    })();
    const previous = this.counting.get(subject);
    const tracked = (previous ? Promise.all([previous, counted]).then(() => undefined) : counted).finally(
      () => {
        if (this.counting.get(subject) === tracked) this.counting.delete(subject);
      },
    );
    this.counting.set(subject, tracked);
    return counted;
  }

  private block(subject: string, until: number): void {
    if (until > (this.blockedUntil.get(subject) ?? 0)) {
      if (!this.blockedUntil.has(subject))
        this.logger.warn(
          `too many failed authentications ${subject.startsWith('addr:') ? `from ${subject.slice(5)}` : 'for a Basic user name'}; refused until the minute ends`,
        );
      this.blockedUntil.set(subject, until);
    }
  }

  private sweep(now: number): void {
    for (const [s, w] of this.local) if (w.endsAt <= now) this.local.delete(s);
    for (const [s, until] of this.blockedUntil) if (until <= now) this.blockedUntil.delete(s);
  }
}

export function tooManyFailuresMessage(retryAfterSeconds: number): string {
  return `too many failed authentications; retry after ${retryAfterSeconds} s`;
}
