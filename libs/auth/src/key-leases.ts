import type { Principal, QuotaClaim, QuotaCounter, QuotaKind } from '@kcloud/common';
import type { AuthSettings } from './auth-settings';
import type { SubscriptionQuota } from './graphql/subscription-quota';

const WHAT: Readonly<Record<QuotaKind, { readonly setting: string; readonly label: string }>> = {
  connections: { setting: 'MAX_CONNECTIONS_PER_KEY', label: 'open graphql-ws connections and SSE streams' },
  exports: { setting: 'MAX_EXPORTS_PER_KEY', label: 'concurrent exports' },
};

/**
 * The per-key counter behind KeyQuota: how many connections (graphql-ws plus SSE) and exports each principal holds on
 * this replica (claims are synchronous, so a burst cannot overshoot; a lease released twice counts once), and SSE
 * streams, which are also subscriptions under MAX_SUBSCRIPTIONS_PER_KEY (across replicas with Redis).
 */
export class KeyLeases implements QuotaCounter {
  private readonly held = new Map<string, number>();
  private readonly streams = new Map<string, number>();

  constructor(
    private readonly settings: Pick<AuthSettings, 'maxConnectionsPerKey' | 'maxExportsPerKey'>,
    private readonly subscriptions?: SubscriptionQuota,
  ) {
    subscriptions?.countFrom(() => this.streams);
  }

  async claimStream(principal: Principal): Promise<QuotaClaim> {
    const connection = this.claim(principal, 'connections');
    if (!connection.ok || !this.subscriptions) return connection;
    const { name } = principal;
    const release = () => {
      decrement(this.streams, name);
      connection.lease.release();
    };
    // Counted before the check, as graphql-ws counts an operation before onSubscribe.
    this.streams.set(name, (this.streams.get(name) ?? 0) + 1);
    const decision = await this.subscriptions.check(name, this.subscriptions.localCounts().get(name) ?? 0);
    if (!decision.ok) {
      release();
      return {
        ok: false,
        setting: 'MAX_SUBSCRIPTIONS_PER_KEY',
        message: `at most ${decision.limit} concurrent subscriptions and SSE streams per key (MAX_SUBSCRIPTIONS_PER_KEY), across replicas`,
      };
    }
    return granted(release);
  }

  claim(principal: Principal, kind: QuotaKind): QuotaClaim {
    const key = `${kind}:${principal.name}`;
    const limit = this.limitOf(kind);
    const n = this.held.get(key) ?? 0;
    if (n >= limit) {
      const { setting, label } = WHAT[kind];
      return {
        ok: false,
        setting,
        message: `at most ${limit} ${label} per key (${setting}); close one first`,
      };
    }
    this.held.set(key, n + 1);
    return granted(() => decrement(this.held, key));
  }

  /** What a principal holds now (tests and diagnostics). */
  count(kind: QuotaKind, principalName: string): number {
    return this.held.get(`${kind}:${principalName}`) ?? 0;
  }

  private limitOf(kind: QuotaKind): number {
    switch (kind) {
      case 'connections':
        return this.settings.maxConnectionsPerKey;
      case 'exports':
        return this.settings.maxExportsPerKey;
    }
  }
}

/** A granted claim whose lease releases once, however often it is called (a lease released twice counts once). */
function granted(release: () => void): QuotaClaim {
  let released = false;
  return {
    ok: true,
    lease: {
      release: () => {
        if (released) return;
        released = true;
        release();
      },
    },
  };
}

/** One fewer held under `key`; the entry goes when none is left (the maps hold only live counts). */
function decrement(counts: Map<string, number>, key: string): void {
  const left = (counts.get(key) ?? 1) - 1;
  if (left > 0) counts.set(key, left);
  else counts.delete(key);
}
