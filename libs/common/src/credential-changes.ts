import { Injectable } from '@nestjs/common';
import { defer, filter, NEVER, type Observable, of, Subject, take } from 'rxjs';
import type { Principal } from './principal';

/** Says whether a principal authenticated earlier is still granted exactly what it was. */
export type StillGranted = (principal: Principal) => boolean;

/**
 * Keys can change while streams are open (API_KEYS_FILE reloaded). The auth library announces each change with a
 * check; a long-lived stream (SSE, graphql-ws) ends when its principal no longer passes it. Lives here so streaming
 * libraries need not depend on the auth library.
 */
@Injectable()
export class CredentialChanges {
  private readonly changes = new Subject<StillGranted>();
  // The last check announced. A stream authenticates, then awaits its slot (a Redis round trip) before it listens here;
  // a change announced in between (the key expired or was rotated meanwhile) must still end it.
  private latest?: StillGranted;

  announce(stillGranted: StillGranted): void {
    this.latest = stillGranted;
    this.changes.next(stillGranted);
  }

  /**
   * Emits once, at the first change that revokes or alters `principal`'s grant — at once if the last change announced
   * already did (checks read the keys in force, so re-running the last one is current); never for anonymous callers.
   */
  revoked(principal: Principal | undefined): Observable<unknown> {
    if (!principal) return NEVER;
    return defer(() =>
      this.latest && !this.latest(principal)
        ? of(this.latest)
        : this.changes.pipe(
            filter((stillGranted) => !stillGranted(principal)),
            take(1),
          ),
    );
  }
}

/** Kinds of long-lived work capped per key: graphql-ws connections with SSE streams, and exports. */
export type QuotaKind = 'connections' | 'exports';

export interface Lease {
  /** Gives the slot back; calling it again does nothing. */
  release(): void;
}

export type QuotaClaim =
  | { readonly ok: true; readonly lease: Lease }
  | { readonly ok: false; readonly message: string; readonly setting: string };

/** What the auth library installs into KeyQuota. */
export interface QuotaCounter {
  claim(principal: Principal, kind: QuotaKind): QuotaClaim;
  /** A live stream outside graphql-ws (SSE): one connection slot and one subscription slot (across replicas). */
  claimStream(principal: Principal): Promise<QuotaClaim>;
}

/**
 * Charges `units` of upstream work done for a principal to its per-minute rate limit (what the auth library installs);
 * false when over budget.
 */
export type UpstreamCharge = (principal: Principal, units: number) => Promise<boolean>;

const UNCOUNTED: QuotaClaim = Object.freeze({
  ok: true as const,
  lease: Object.freeze({ release: () => undefined }),
});

/**
 * Per-key caps on concurrent long-lived work. The auth library installs the counter (MAX_CONNECTIONS_PER_KEY,
 * MAX_SUBSCRIPTIONS_PER_KEY, MAX_EXPORTS_PER_KEY); a library serving such work claims a slot before it starts and
 * releases it when the work ends, however it ends. Lives here for the same reason as CredentialChanges. Anonymous
 * callers (authentication not enforced) are not counted.
 */
@Injectable()
export class KeyQuota {
  private counter?: QuotaCounter;
  private charge?: UpstreamCharge;

  install(counter: QuotaCounter): void {
    this.counter = counter;
  }

  installCharge(charge: UpstreamCharge): void {
    this.charge = charge;
  }

  /**
   * Charges upstream work a long-lived stream does for `principal` after it started (a live subscription's tick
   * reads Prometheus as the poll it replaces would): true when within its budget, or when nothing is charged.
   */
  chargeUpstream(principal: Principal | undefined, units: number): Promise<boolean> {
    return principal && this.charge ? this.charge(principal, units) : Promise.resolve(true);
  }

  claim(principal: Principal | undefined, kind: QuotaKind): QuotaClaim {
    return principal && this.counter ? this.counter.claim(principal, kind) : UNCOUNTED;
  }

  claimStream(principal: Principal | undefined): Promise<QuotaClaim> {
    return principal && this.counter ? this.counter.claimStream(principal) : Promise.resolve(UNCOUNTED);
  }
}
