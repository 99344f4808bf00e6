import type { ScoreRecord } from './records';
import type { ScoreStatus } from './scoring';

export type ScoreChangeKind = 'APPEARED' | 'STATUS_CHANGED' | 'SCORE_MOVED';

export interface ScoreChange {
  readonly kind: ScoreChangeKind;
  readonly record: ScoreRecord;
  readonly previousStatus?: ScoreStatus;
  readonly previousScore?: number;
}

/** The smallest per-subscription minDelta allowed; changes below it are never published. */
export const MIN_DELTA_BOUNDS = { min: 1, max: 100 } as const;

/**
 * What changed between two cycles, for subscribers and webhooks: new devices, status changes, and score moves of at
 * least `publishDelta` (each subscriber then applies its own, larger or equal, minDelta). Stale records (their cluster
 * failed) are left out: nothing was measured.
 */
export function diffScores(
  previous: ReadonlyMap<string, ScoreRecord>,
  current: readonly ScoreRecord[],
  publishDelta: number = MIN_DELTA_BOUNDS.min,
): ScoreChange[] {
  const changes: ScoreChange[] = [];
  for (const record of current) {
    if (record.stale) continue;
    const before = previous.get(record.key);
    if (!before) {
      changes.push({ kind: 'APPEARED', record });
      continue;
    }
    const base = { record, previousStatus: before.status, previousScore: before.score };
    if (before.status !== record.status) changes.push({ ...base, kind: 'STATUS_CHANGED' });
    else if (scoreDelta(before.score, record.score) >= publishDelta)
      changes.push({ ...base, kind: 'SCORE_MOVED' });
  }
  return changes;
}

/** |Δscore|; 0 when either side has no score (that case is a status change to or from unknown). */
export function scoreDelta(before: number | undefined, after: number | undefined): number {
  return before === undefined || after === undefined ? 0 : Math.abs(after - before);
}

/** Whether a subscriber with `minDelta` is told about this change. */
export function passesMinDelta(change: ScoreChange, minDelta: number): boolean {
  return change.kind !== 'SCORE_MOVED' || scoreDelta(change.previousScore, change.record.score) >= minDelta;
}

/** Changes that make a device newly idle or low: the webhook triggers. */
export function becameUnderused(change: ScoreChange): boolean {
  const under = (s: ScoreStatus | undefined) => s === 'idle' || s === 'low';
  return under(change.record.status) && !under(change.previousStatus);
}
