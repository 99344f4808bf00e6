import { Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { AuthSettings } from './auth-settings';
import type { Credentials } from './credentials';

const WINDOW_MS = 60_000;
const THROTTLER_NAME = 'auth-failure';
// Ended windows are swept when the maps grow past this, so a spray of addresses cannot grow them without bound.
const SWEEP_ABOVE = 10_000;

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

  /** Counts one failed authentication against every subject; resolves with the retry-after now in force. */
  async failed(subjects: readonly string[]): Promise<number> {
    const limit = this.settings.authFailuresPerMinute;
    const now = this.now();
    if (this.local.size > SWEEP_ABOVE) this.sweep(now);
    for (const subject of subjects) {
      let window = this.local.get(subject);
      if (!window || window.endsAt <= now) this.local.set(subject, (window = { count: 0, endsAt: now + WINDOW_MS }));
      if (++window.count >= limit) this.block(subject, window.endsAt);
    }
    await Promise.all(
      subjects.map(async (subject) => {
        try {
          const r = await this.storage.increment(`auth-failure:${subject}`, WINDOW_MS, limit, 0, THROTTLER_NAME);
          if (r.totalHits >= limit) this.block(subject, this.now() + Math.max(1, r.timeToExpire) * 1000);
        } catch (e) {
          // The storage fails open by itself; this guards against one that throws. The local count still holds.
          this.logger.warn(`failed authentications counted on this replica only: ${(e as Error).message}`);
        }
      }),
    );
    return this.retryAfterSeconds(subjects);
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
