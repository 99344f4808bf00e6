import type { Principal, QuotaClaim, QuotaKind } from '@kcloud/common';
import type { AuthSettings } from './auth-settings';

const WHAT: Readonly<Record<QuotaKind, { readonly setting: string; readonly label: string }>> = {
  connections: { setting: 'MAX_CONNECTIONS_PER_KEY', label: 'open graphql-ws connections and SSE streams' },
  exports: { setting: 'MAX_EXPORTS_PER_KEY', label: 'concurrent exports' },
};

/**
 * The per-key counter behind KeyQuota on this replica: how many connections (graphql-ws plus SSE) and exports each
 * principal holds now. Claims are synchronous, so a burst cannot overshoot; a lease released twice counts once.
 */
export class KeyLeases {
  private readonly held = new Map<string, number>();

  constructor(private readonly settings: Pick<AuthSettings, 'maxConnectionsPerKey' | 'maxExportsPerKey'>) {}

  claim(principal: Principal, kind: QuotaKind): QuotaClaim {
    const key = `${kind}:${principal.name}`;
    const limit = this.limitOf(kind);
    const n = this.held.get(key) ?? 0;
    if (n >= limit) {
      const { setting, label } = WHAT[kind];
      return { ok: false, setting, message: `at most ${limit} ${label} per key (${setting}); close one first` };
    }
    this.held.set(key, n + 1);
    let released = false;
    return {
      ok: true,
      lease: {
        release: () => {
          if (released) return;
          released = true;
          const left = (this.held.get(key) ?? 1) - 1;
          if (left > 0) this.held.set(key, left);
          else this.held.delete(key);
        },
      },
    };
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
