import { Injectable } from '@nestjs/common';
import { filter, NEVER, type Observable, Subject, take } from 'rxjs';
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

  announce(stillGranted: StillGranted): void {
    this.changes.next(stillGranted);
  }

  /** Emits once, at the first change that revokes or alters `principal`'s grant; never for anonymous callers. */
  revoked(principal: Principal | undefined): Observable<unknown> {
    if (!principal) return NEVER;
    return this.changes.pipe(
      filter((stillGranted) => !stillGranted(principal)),
      take(1),
    );
  }
}
