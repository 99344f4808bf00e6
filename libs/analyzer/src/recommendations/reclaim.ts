import { inScope, type TenantScope } from '@kcloud/common';
import { isWasted } from '../activity/activity-state';
import { episodeKey, type IdleDevice, type IdleEpisode } from '../idle/idle-ledger';
import { type IdlePrices, idleCost, JOULES_PER_KWH } from '../idle/idle-pricing';
import { type ActionInput, chooseAction, type ReclaimAction } from './reclaim-action';

/** One snooze: the recommendation of a holder (episode key) is hidden until `untilMs`. */
export interface Acknowledgement {
  readonly untilMs: number;
  readonly note?: string;
  readonly by: string;
  readonly atMs: number;
}

export interface ReclaimCandidate {
  readonly device: IdleDevice;
  readonly episode?: IdleEpisode;
  /** Extra facts for the action: owner, MIG profile, memory. */
  readonly facts: Omit<ActionInput, 'state' | 'model' | 'pod' | 'activityPercent'>;
}

export interface Recommendation {
  readonly key: string;
  readonly gpuId: string;
  readonly cluster: string;
  readonly node: string;
  readonly model: string;
  readonly namespace: string;
  readonly pod: string;
  readonly owner?: string;
  readonly state: IdleDevice['state'];
  readonly idleSince: Date;
  readonly idleGpuHours: number;
  readonly idleEnergyKWh: number;
  readonly idleCost: number;
  readonly currency: string;
  readonly action: ReclaimAction;
  readonly reason: string;
  readonly acknowledgedUntil?: Date;
  readonly acknowledgementNote?: string;
}

export interface ReclaimFilter {
  readonly cluster?: string;
  /** The clusters the filter's `clusterLabels` selected (ClusterLabelResolution); absent: no labels asked for. */
  readonly labelledClusters?: readonly string[];
  readonly namespace?: string;
  readonly action?: ReclaimAction;
  /** Also list snoozed recommendations (with `acknowledgedUntil`); default false. */
  readonly includeAcknowledged?: boolean;
}

/**
 * Recommendations for the wasted GPUs the scope may see, ranked by idle cost so far (then idle GPU-hours). Idle
 * GPU-hours so far run from the state's `since` to now (the GPU's share); energy is what the ledger charged to the
 * current idle stretch. A snoozed one is left out until its acknowledgement runs out.
 */
export function reclaimRecommendations(
  candidates: readonly ReclaimCandidate[],
  acks: Readonly<Record<string, Acknowledgement>>,
  nowMs: number,
  prices: IdlePrices,
  scope: TenantScope,
  filter: ReclaimFilter,
): Recommendation[] {
  const out: Recommendation[] = [];
  for (const { device: d, episode, facts } of candidates) {
    if (!isWasted(d.state) || !d.namespace || !d.pod) continue;
    if (!inScope(scope, d.cluster, d.namespace)) continue;
    if (filter.cluster && filter.cluster !== d.cluster) continue;
    if (filter.labelledClusters && !filter.labelledClusters.includes(d.cluster)) continue;
    if (filter.namespace && filter.namespace !== d.namespace) continue;
    const key = episodeKey(d);
    const ack = acks[key];
    const snoozed = ack !== undefined && ack.untilMs > nowMs;
    if (snoozed && !filter.includeAcknowledged) continue;
    const { action, reason } = chooseAction({
      ...facts,
      state: d.state,
      model: d.model,
      pod: d.pod,
      activityPercent: d.activityPercent,
    });
    if (filter.action && filter.action !== action) continue;
    const idleGpuHours = (Math.max(0, nowMs - d.since.getTime()) / 3_600_000) * d.gpuFraction;
    const sameEpisode = episode && episode.sinceMs === d.since.getTime();
    const idleEnergyKWh = sameEpisode ? episode.idleEnergyJoules / JOULES_PER_KWH : 0;
    out.push({
      key,
      gpuId: d.key,
      cluster: d.cluster,
      node: d.node,
      model: d.model,
      namespace: d.namespace,
      pod: d.pod,
      owner: facts.ownerKind ? `${facts.ownerKind}/${facts.ownerName ?? ''}` : undefined,
      state: d.state,
      idleSince: d.since,
      idleGpuHours,
      idleEnergyKWh,
      idleCost: idleCost(prices, d.model, idleGpuHours, idleEnergyKWh),
      currency: prices.currency,
      action,
      reason,
      acknowledgedUntil: snoozed ? new Date(ack.untilMs) : undefined,
      acknowledgementNote: snoozed ? ack.note : undefined,
    });
  }
  return out.sort(
    (a, b) => b.idleCost - a.idleCost || b.idleGpuHours - a.idleGpuHours || a.key.localeCompare(b.key),
  );
}

/** Acknowledgements still running at `nowMs` (expired ones are dropped when the document is next written). */
export function liveAcknowledgements(
  acks: Readonly<Record<string, Acknowledgement>>,
  nowMs: number,
): Record<string, Acknowledgement> {
  return Object.fromEntries(Object.entries(acks).filter(([, a]) => a.untilMs > nowMs));
}
