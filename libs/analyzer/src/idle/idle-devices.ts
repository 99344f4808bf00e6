import { activityRecords } from '../activity/activity-view';
import type { ScoreRecord } from '../scoring/records';
import { gpuFractionOf } from './gpu-fraction';
import type { IdleDevice } from './idle-ledger';

/**
 * The devices of a cycle's results as the ledger charges them: one per holder, a time-sliced GPU's share divided
 * among its pods (so its GPU-hours are not counted once per pod). Stale results (their cluster failed) are left out:
 * nothing was measured there this cycle.
 */
export function idleDevices(records: readonly ScoreRecord[]): IdleDevice[] {
  const fresh = records.filter((r) => !r.stale);
  const byKey = new Map(fresh.map((r) => [r.key, r]));
  const activity = activityRecords(fresh);
  const holders = new Map<string, number>();
  for (const a of activity) holders.set(a.key, (holders.get(a.key) ?? 0) + 1);
  return activity.map((a) => {
    const r = byKey.get(a.key);
    const fraction = gpuFractionOf(a.model, r?.migProfile) / (holders.get(a.key) ?? 1);
    return { ...a, gpuFraction: fraction };
  });
}
