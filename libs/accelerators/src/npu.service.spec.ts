import { DomainError, ErrorCode } from '@kcloud/common';
import type { NpuSample } from '@kcloud/metrics-source';
import { NpuService } from './npu.service';
import { fakeSource, npu, passThroughCache } from './testing/fakes';

const cards: [NpuSample, ...NpuSample[]] = [
  npu({ uuid: 'A', namespace: 'team-a', pod: 'p' }),
  npu({ uuid: 'B', namespace: 'team-b', pod: 'q', vendor: 'rebellions', model: 'RBLN-CA12' }),
  npu({ uuid: 'C' }),
  npu({ uuid: 'D', cluster: 'c2', namespace: 'team-a' }),
];

describe('NpuService', () => {
  it('narrows the filter to the scope and drops every card outside it, unallocated ones included', async () => {
    const { source, calls } = fakeSource({ npus: { items: cards, failures: [] } });
    const service = new NpuService(source, passThroughCache);
    const { items } = await service.npus({}, { clusters: ['c1'], namespaces: ['team-a'] });
    expect(items.map((n) => n.uuid)).toEqual(['A']);
    expect(calls[0]!.filter).toEqual({ clusters: ['c1'], namespaces: ['team-a'] });
  });

  it('filters by vendor and returns cards in cluster, node, vendor, index order', async () => {
    const { source } = fakeSource({ npus: { items: cards, failures: [] } });
    const service = new NpuService(source, passThroughCache);
    expect((await service.npus({ vendor: 'rebellions' })).items.map((n) => n.uuid)).toEqual(['B']);
    expect((await service.npus()).items.map((n) => n.uuid)).toEqual(['A', 'C', 'B', 'D']);
  });

  it('finds one card by uuid, NOT_FOUND when no cluster has it, null with the failure when one is down', async () => {
    const found = new NpuService(
      fakeSource({ npus: { items: [cards[0]], failures: [] } }).source,
      passThroughCache,
    );
    expect((await found.npu('A')).npu?.uuid).toBe('A');
    const none = new NpuService(fakeSource({}).source, passThroughCache);
    await expect(none.npu('Z')).rejects.toMatchObject({ code: ErrorCode.NOT_FOUND });
    await expect(none.npu('Z')).rejects.toBeInstanceOf(DomainError);
    const down = { cluster: 'c2', code: ErrorCode.CLUSTER_UNAVAILABLE, message: 'down' } as const;
    const partial = new NpuService(
      fakeSource({ npus: { items: [], failures: [down] } }).source,
      passThroughCache,
    );
    expect(await partial.npu('Z')).toEqual({ npu: null, failures: [down] });
  });

  it('filters and sorts once per snapshot read, scope and vendor (a page does not re-sort the fleet)', async () => {
    const snapshot = { items: cards, failures: [] };
    const service = new NpuService(fakeSource({ npus: snapshot }).source, passThroughCache);
    const all = (await service.npus()).items;
    expect((await service.npus()).items).toBe(all);
    expect((await service.npus({}, { namespaces: ['team-a'] })).items.map((n) => n.uuid)).toEqual(['A', 'D']);
    expect((await service.npus({ vendor: 'rebellions' })).items).not.toBe(all);
    const reread = new NpuService(fakeSource({ npus: { ...snapshot } }).source, passThroughCache);
    expect((await reread.npus()).items).not.toBe(all);
  });
});
