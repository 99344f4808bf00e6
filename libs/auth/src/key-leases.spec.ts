import { KeyQuota, type Principal } from '@kcloud/common';
import { KeyLeases } from './key-leases';

const principal = (name: string): Principal => ({ name, role: 'partner', scope: {} });

describe('KeyLeases', () => {
  const leases = () => new KeyLeases({ maxConnectionsPerKey: 2, maxExportsPerKey: 1 });

  it('grants up to the limit per key and kind, refuses past it naming the setting, and frees a slot on release', () => {
    const l = leases();
    const first = l.claim(principal('a'), 'connections');
    expect(l.claim(principal('a'), 'connections').ok).toBe(true);
    expect(l.claim(principal('a'), 'connections')).toMatchObject({ ok: false, setting: 'MAX_CONNECTIONS_PER_KEY' });
    expect(l.claim(principal('b'), 'connections').ok).toBe(true);
    expect(l.claim(principal('a'), 'exports').ok).toBe(true);
    expect(l.claim(principal('a'), 'exports')).toMatchObject({ ok: false, setting: 'MAX_EXPORTS_PER_KEY' });
    if (!first.ok) throw new Error('first claim refused');
    first.lease.release();
    first.lease.release(); // twice counts once
    expect(l.count('connections', 'a')).toBe(1);
    expect(l.claim(principal('a'), 'connections').ok).toBe(true);
  });

  it('is what KeyQuota asks once installed; before that, and for anonymous callers, nothing is counted', () => {
    const quota = new KeyQuota();
    const l = leases();
    expect(quota.claim(principal('a'), 'exports').ok).toBe(true);
    quota.install((p, kind) => l.claim(p, kind));
    expect(quota.claim(principal('a'), 'exports').ok).toBe(true);
    expect(quota.claim(principal('a'), 'exports').ok).toBe(false);
    expect(quota.claim(undefined, 'exports').ok).toBe(true);
  });
});
