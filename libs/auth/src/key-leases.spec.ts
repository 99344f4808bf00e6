import { KeyQuota, type Principal } from '@kcloud/common';
import { SubscriptionQuota } from './graphql/subscription-quota';
import { KeyLeases } from './key-leases';

const principal = (name: string): Principal => ({ name, role: 'partner', scope: {} });

describe('KeyLeases', () => {
  const leases = () => new KeyLeases({ maxConnectionsPerKey: 2, maxExportsPerKey: 1 });

  it('grants up to the limit per key and kind, refuses past it naming the setting, and frees a slot on release', () => {
    const l = leases();
    const first = l.claim(principal('a'), 'connections');
    expect(l.claim(principal('a'), 'connections').ok).toBe(true);
    expect(l.claim(principal('a'), 'connections')).toMatchObject({
      ok: false,
      setting: 'MAX_CONNECTIONS_PER_KEY',
    });
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
    quota.install(l);
    expect(quota.claim(principal('a'), 'exports').ok).toBe(true);
    expect(quota.claim(principal('a'), 'exports').ok).toBe(false);
    expect(quota.claim(undefined, 'exports').ok).toBe(true);
  });

  it('counts an SSE stream as one connection and one subscription, and gives both back when it ends', async () => {
    const subscriptions = new SubscriptionQuota(1);
    const l = new KeyLeases({ maxConnectionsPerKey: 5, maxExportsPerKey: 1 }, subscriptions);
    let wsOperations = 0;
    subscriptions.countFrom(() => new Map([['a', wsOperations]]));
    const stream = await l.claimStream(principal('a'));
    expect(stream.ok).toBe(true);
    expect([l.count('connections', 'a'), subscriptions.localCounts().get('a')]).toEqual([1, 1]);
    expect(await l.claimStream(principal('a'))).toMatchObject({
      ok: false,
      setting: 'MAX_SUBSCRIPTIONS_PER_KEY',
    });
    expect([l.count('connections', 'a'), subscriptions.localCounts().get('a')]).toEqual([1, 1]);
    if (stream.ok) stream.lease.release();
    wsOperations = 1; // a graphql-ws operation now holds the only subscription slot
    expect(await l.claimStream(principal('a'))).toMatchObject({
      ok: false,
      setting: 'MAX_SUBSCRIPTIONS_PER_KEY',
    });
    expect(l.count('connections', 'a')).toBe(0);
  });
});
