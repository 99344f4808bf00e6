import type { GpuWindowAggregate } from '@kcloud/metrics-source';
import { allocatedOnly, cycleSummary } from './cycle-summary';

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

  it('keeps every device when off', () => {
    expect(allocatedOnly(items, false)).toEqual({ scored: items, skipped: 0 });
  });

  it('keeps only devices a pod holds when on, counting the others as skipped', () => {
    const { scored, skipped } = allocatedOnly(items, true);
    expect(scored.map((a) => a.uuid)).toEqual(['A', 'C']);
    expect(skipped).toBe(1);
  });
});

describe('cycleSummary', () => {
  it('states run id, duration, scored count, every status count, failed clusters and skipped', () => {
    const line = cycleSummary(
      { id: 7, durationSeconds: 0.1234, failedClusters: ['west'] },
      [{ status: 'idle' }, { status: 'idle' }, { status: 'high' }, { status: 'unknown' }],
      3,
    );
    expect(line).toBe(
      'analysis run 7: 0.123 s, 4 GPU(s) scored (idle=2 low=0 normal=0 high=1 unknown=1), ' +
        'failed clusters: west, skipped unallocated: 3',
    );
  });

  it('says none when no cluster failed', () => {
    expect(cycleSummary({ id: 1, durationSeconds: 0, failedClusters: [] }, [], 0)).toContain(
      'failed clusters: none',
    );
  });
});
