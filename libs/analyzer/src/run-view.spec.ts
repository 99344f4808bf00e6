import type { AnalysisRunInfo } from './cycle/analyzer-events';
import { runForScope, SCOPED_RUN_ERROR } from './run-view';
import type { ScoreRecord } from './scoring/records';

const T = new Date('2026-01-15T12:00:00Z');

const record = (key: string, cluster: string, namespace: string | undefined, stale = false): ScoreRecord =>
  ({
    key,
    cluster,
    uuid: key,
    tenants: namespace ? [{ namespace, pod: `${namespace}-0` }] : [],
    stale,
  }) as unknown as ScoreRecord;

const records = [
  record('a', 'east', 'team-a'),
  record('b', 'east', 'team-b'),
  record('c', 'west', 'team-a'),
  record('d', 'west', undefined),
  record('e', 'north', 'team-b', true),
];

const run: AnalysisRunInfo = {
  id: 7,
  trigger: 'schedule',
  startedAt: T,
  completedAt: T,
  durationSeconds: 1,
  gpuCount: 4,
  changedCount: 3,
  changedKeys: ['a', 'b', 'd'],
  failedClusters: ['north'],
  error: 'query DCGM_FI_DEV_GPU_UTIL{namespace="team-b"} failed on cluster \'north\'',
};

describe('runForScope', () => {
  it('shows an unrestricted key the fleet-wide run as it is', () => {
    expect(runForScope(run, records, {})).toMatchObject({
      gpuCount: 4,
      changedCount: 3,
      failedClusters: ['north'],
      error: run.error,
      joined: false,
    });
  });

  it.each([
    [
      'a namespace-scoped key',
      { namespaces: ['team-a'] },
      { gpuCount: 2, changedCount: 1, failedClusters: ['north'] },
    ],
    ['a cluster-scoped key', { clusters: ['west'] }, { gpuCount: 2, changedCount: 1, failedClusters: [] }],
    [
      'a key scoped to both',
      { clusters: ['east'], namespaces: ['team-b'] },
      { gpuCount: 1, changedCount: 1, failedClusters: [] },
    ],
  ])(
    'counts only what %s may see, filters failed clusters and never shows the raw error',
    (_who, scope, expected) => {
      const view = runForScope(run, records, scope);
      expect(view).toMatchObject({ ...expected, error: SCOPED_RUN_ERROR });
      expect(JSON.stringify(view)).not.toContain('DCGM_');
    },
  );
});
