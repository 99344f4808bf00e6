import type { ScoreRecord } from '../scoring/records';

/** A scored record for the AI specs: one pod in `ns`, inputs all equal to the score unless given. */
export function scoreRecord(
  key: string,
  score: number | undefined,
  status: ScoreRecord['status'],
  extra: Partial<ScoreRecord> = {},
): ScoreRecord {
  const at = new Date(Date.UTC(2026, 0, 1, 12));
  return {
    key,
    cluster: 'east',
    node: 'node-1',
    uuid: key,
    index: 0,
    model: 'NVIDIA A100-SXM4-80GB',
    tenants: [{ namespace: 'ns', pod: `pod-${key}` }],
    score,
    status,
    inputs: {
      utilizationPercent: score,
      memoryCopyUtilizationPercent: score,
      memoryUsedPercent: score,
      powerPercent: score,
    },
    sources: {},
    powerLimitWatts: 400,
    memoryUsedMiB: 1000,
    powerWatts: 80,
    windowSeconds: 600,
    computedAt: at,
    observedAt: at,
    statusSince: new Date(at.getTime() - 3_600_000),
    stale: false,
    ...extra,
  };
}
