import type { GpuWindowAggregate } from '@kcloud/metrics-source';
import { allocatedOnly, asUnallocated, UNALLOCATED_REASON } from './allocated-only';

const device = (uuid: string, pods: string[]): GpuWindowAggregate => ({
  cluster: 'c',
  node: 'n',
  uuid,
  index: 0,
  model: 'm',
  tenants: pods.map((pod) => ({ namespace: 'ns', pod })),
  observedAt: new Date(0),
});

describe('allocatedOnly', () => {
  const items = [device('A', ['p']), device('B', []), device('C', ['p1', 'p2'])];

  it('scores every device when off', () => {
    expect(allocatedOnly(items, false)).toEqual({ scored: items, unallocated: [] });
  });

  it('scores only devices a pod holds when on, and hands back the others to be listed', () => {
    const { scored, unallocated } = allocatedOnly(items, true);
    expect(scored.map((a) => a.uuid)).toEqual(['A', 'C']);
    expect(unallocated.map((a) => a.uuid)).toEqual(['B']);
  });
});

describe('asUnallocated', () => {
  const inputs = { utilizationPercent: 40, powerPercent: 30 };

  it('drops the score and band, keeps the readings, says why', () => {
    const r = asUnallocated({ score: 35, status: 'normal', inputs, sources: {}, powerLimitWatts: 700 });
    expect(r).toEqual({
      status: 'unallocated',
      reason: UNALLOCATED_REASON,
      inputs,
      sources: {},
      powerLimitWatts: 700,
    });
    expect(r.score).toBeUndefined();
  });

  it('keeps what was wrong with the data in the reason', () => {
    const r = asUnallocated({ status: 'unknown', reason: 'power: reading is NaN', inputs: {}, sources: {} });
    expect(r.reason).toBe(`${UNALLOCATED_REASON}; its data: power: reading is NaN`);
  });
});
