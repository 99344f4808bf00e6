import { cycleSummary, lowUtilizationWarning } from './cycle-summary';

describe('cycleSummary', () => {
  it('states run id, duration, scored count, every status count, failed clusters and unallocated', () => {
    const line = cycleSummary({ id: 7, durationSeconds: 0.1234, failedClusters: ['west'] }, [
      { status: 'idle' },
      { status: 'idle' },
      { status: 'high' },
      { status: 'unknown' },
      { status: 'unallocated' },
      { status: 'unallocated' },
    ]);
    expect(line).toBe(
      'analysis run 7: 0.123 s, 4 GPU(s) scored (idle=2 low=0 normal=0 high=1 unknown=1), ' +
        'failed clusters: west, unallocated (listed, not scored): 2',
    );
  });

  it('says none when no cluster failed', () => {
    expect(cycleSummary({ id: 1, durationSeconds: 0, failedClusters: [] }, [])).toContain(
      'failed clusters: none',
    );
  });
});

describe('lowUtilizationWarning', () => {
  const rec = (
    key: string,
    status: 'idle' | 'low' | 'normal' | 'unallocated',
    score?: number,
    pods = ['p'],
  ) => ({
    key,
    cluster: 'c',
    status,
    score,
    tenants: pods.map((pod) => ({ namespace: 'ns', pod })),
  });

  it('is silent when no GPU is IDLE or LOW (unallocated ones are not judged)', () => {
    expect(
      lowUtilizationWarning({ id: 1 }, [rec('A', 'normal', 50), rec('B', 'unallocated')], 20),
    ).toBeUndefined();
  });

  it('counts every low GPU and names the lowest-scored first, with holders and scores', () => {
    const line = lowUtilizationWarning(
      { id: 3 },
      [
        rec('B', 'low', 15.04),
        rec('A', 'idle', 2),
        rec('C', 'normal', 40),
        rec('S', 'idle', 2, ['p1', 'p2']),
      ],
      20,
    );
    expect(line).toBe(
      'analysis run 3: 3 GPU(s) under the low-utilisation threshold (IDLE or LOW, score < 20): ' +
        'c/A (ns/p, score 2.0), c/S (ns/p1+ns/p2, score 2.0), c/B (ns/p, score 15.0)',
    );
  });

  it('stays one bounded line for a large fleet: the first few named, the rest counted', () => {
    const many = Array.from({ length: 5000 }, (_, i) => rec(`G${String(i).padStart(4, '0')}`, 'idle', 1, []));
    const line = lowUtilizationWarning({ id: 9 }, many, 20, 3)!;
    expect(line).toBe(
      'analysis run 9: 5000 GPU(s) under the low-utilisation threshold (IDLE or LOW, score < 20): ' +
        'c/G0000 (no pod, score 1.0), c/G0001 (no pod, score 1.0), c/G0002 (no pod, score 1.0), and 4997 more',
    );
  });
});
