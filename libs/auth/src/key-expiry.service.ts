import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { CredentialChanges } from '@kcloud/common';
import { Authenticator } from './authenticator';

// setTimeout's ceiling; a later expiry is re-armed when the timer fires.
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Ends the long-lived streams (SSE) of a key at its `expiresAt`: one timer at the next expiry among the configured keys
 * announces a credential change, and every stream whose grant has expired ends (CredentialChanges). graphql-ws
 * sockets keep their own per-connection timers (closed 4401 'API key expired').
 */
@Injectable()
export class KeyExpiryWatch implements OnModuleInit, OnModuleDestroy {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly auth: Authenticator,
    private readonly credentials: CredentialChanges,
  ) {}

  onModuleInit(): void {
    this.rearm();
  }

  onModuleDestroy(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Arms the timer for the next expiry of the current keys (after boot and after every change of the keys). */
  rearm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.auth.enforced) return;
    const now = Date.now();
    const next = Math.min(
      ...this.auth
        .keys()
        .map((k) => k.expiresAt?.getTime() ?? Infinity)
        .filter((t) => t > now),
    );
    if (!Number.isFinite(next)) return;
    this.timer = setTimeout(
      () => {
        // A timer may fire a millisecond early, and a far expiry is reached in several MAX_TIMER_MS steps.
        if (next <= Date.now()) this.credentials.announce((principal) => this.auth.stillGrants(principal));
        this.rearm();
      },
      Math.min(next - now, MAX_TIMER_MS),
    );
    this.timer.unref();
  }
}
