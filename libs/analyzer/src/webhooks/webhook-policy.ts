import type { ScoreChange } from '../scoring/changes';
import type { ScoreStatus } from '../scoring/scoring';

/** GPU key → when its last webhook was claimed (epoch ms). Persisted with the analyzer state. */
export type WebhookCooldowns = Readonly<Record<string, number>>;

const underused = (s: ScoreStatus | undefined): boolean => s === 'idle' || s === 'low';

/**
 * A webhook trigger: a device the analyzer saw before in another status that is now idle or low. A first sighting
 * (`APPEARED`: no prior state, even after a restart, since the state persists) is never a trigger: "became idle"
 * needs a before, and without this rule every restart or leader change re-posted every idle GPU.
 */
export function webhookTrigger(change: ScoreChange): boolean {
  return (
    change.kind === 'STATUS_CHANGED' && underused(change.record.status) && !underused(change.previousStatus)
  );
}

/**
 * Which changes are due for a webhook and the cooldowns after claiming them: at most one per GPU per cooldown;
 * expired entries are pruned so the map stays bounded by the GPUs posted within one cooldown.
 */
export function planWebhooks(
  changes: readonly ScoreChange[],
  cooldowns: WebhookCooldowns,
  nowMs: number,
  cooldownMs: number,
): { due: ScoreChange[]; cooldowns: WebhookCooldowns } {
  const next: Record<string, number> = {};
  for (const [key, at] of Object.entries(cooldowns)) if (nowMs - at < cooldownMs) next[key] = at;
  const due = changes.filter((c) => webhookTrigger(c) && next[c.record.key] === undefined);
  for (const c of due) next[c.record.key] = nowMs;
  return { due, cooldowns: next };
}
