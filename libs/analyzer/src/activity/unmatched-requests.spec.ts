import type { PodGpuRequest } from '@kcloud/metrics-source';
import type { ScoreRecord } from '../scoring/records';
import { unmatchedGpuRequests } from './unmatched-requests';

const rec = (cluster: string, tenants: { namespace: string; pod: string }[]): ScoreRecord =>
  ({ cluster, tenants }) as unknown as ScoreRecord;
const req = (cluster: string, pod: string, count: number, resource = 'nvidia_com_gpu'): PodGpuRequest => ({
  cluster,
  namespace: 'ns',
  pod,
  node: 'n',
  resource,
  count,
});

describe('unmatchedGpuRequests', () => {
  it('reports a pod requesting GPUs no device names, and one named by fewer devices than it requested', () => {
    const records = [
      rec('a', [{ namespace: 'ns', pod: 'ok' }]),
      rec('a', [{ namespace: 'ns', pod: 'half' }]),
    ];
    const out = unmatchedGpuRequests(
      [
        req('a', 'ok', 1),
        req('a', 'ghost', 1),
        req('a', 'half', 1),
        req('a', 'half', 1, 'nvidia_com_mig_1g_10gb'),
      ],
      records,
    );
    expect(out).toEqual([
      expect.objectContaining({
        pod: 'ghost',
        requestedGpus: 1,
        attributedGpus: 0,
        reason: 'no GPU names this pod',
      }),
      expect.objectContaining({ pod: 'half', requestedGpus: 2, attributedGpus: 1 }),
    ]);
  });

  it('counts a time-sliced device once per pod and says when a cluster carries no pod labels at all', () => {
    const shared = rec('a', [
      { namespace: 'ns', pod: 'p' },
      { namespace: 'ns', pod: 'p' },
    ]);
    expect(unmatchedGpuRequests([req('a', 'p', 1)], [shared])).toEqual([]);
    const [bare] = unmatchedGpuRequests([req('b', 'p', 1)], [rec('b', [])]);
    expect(bare?.reason).toMatch(/no GPU of the cluster carries pod labels/);
  });

  it('says nothing about clusters the analyzer has no devices for', () => {
    expect(unmatchedGpuRequests([req('down', 'p', 4)], [rec('a', [])])).toEqual([]);
  });
});
