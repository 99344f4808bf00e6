import { isWasted } from '../activity/activity-state';
import type { DeviceActivity } from '../activity/device-activity';
import type { ScoreRecord } from '../scoring/records';
import type { ScoreThresholds, ScoreWeights } from '../scoring/scoring-config';

/** Why a GPU is worth a second opinion; the order is the priority when the per-cycle cap cuts the list. */
export type AiAskReason = 'wasted' | 'idle' | 'low' | 'near_threshold';
const PRIORITY: Readonly<Record<AiAskReason, number>> = { wasted: 0, idle: 1, low: 2, near_threshold: 3 };

export interface AiCandidateRules {
  readonly thresholds: ScoreThresholds;
  /** A score within this many points of a threshold could land on either side of it. */
  readonly nearThresholdPoints: number;
}

export interface AiCandidate {
  readonly record: ScoreRecord;
  readonly why: AiAskReason;
}

/** Inputs are bucketed to this many points for the cache key: a reading that drifts by a point asks nothing new. */
export const STATE_BUCKET_POINTS = 5;

/**
 * Whether a GPU is worth asking about: wasted (allocated and idle), idle or low, or near a threshold. Never a GPU on
 * bad data (UNKNOWN, no score) or a stale result: the model would judge readings the analyzer itself refused.
 */
export function whyAsk(r: ScoreRecord, rules: AiCandidateRules): AiAskReason | undefined {
  if (r.stale || r.status === 'unknown' || r.score === undefined) return undefined;
  if (isWasted(r.activity?.state)) return 'wasted';
  if (r.status === 'idle') return 'idle';
  if (r.status === 'low') return 'low';
  const { idle, low, high } = rules.thresholds;
  const score = r.score;
  return [idle, low, high].some((t) => Math.abs(score - t) <= rules.nearThresholdPoints)
    ? 'near_threshold'
    : undefined;
}

/** The GPUs to ask about, most wasteful first (then lowest score, then key, so the order is stable). */
export function aiCandidates(records: readonly ScoreRecord[], rules: AiCandidateRules): AiCandidate[] {
  const out: AiCandidate[] = [];
  for (const record of records) {
    const why = whyAsk(record, rules);
    if (why) out.push({ record, why });
  }
  return out.sort(
    (a, b) =>
      PRIORITY[a.why] - PRIORITY[b.why] ||
      (a.record.score ?? 0) - (b.record.score ?? 0) ||
      a.record.key.localeCompare(b.record.key),
  );
}

/**
 * The cache key of a GPU's state: same status, activity state, bucketed inputs and pods → the same question, so the
 * answer is reused instead of paying for a new one.
 */
export function aiStateKey(r: ScoreRecord): string {
  const b = (v: number | undefined) => (v === undefined ? '-' : String(Math.floor(v / STATE_BUCKET_POINTS)));
  const i = r.inputs;
  const pods = r.tenants.map((t) => `${t.namespace}/${t.pod}`).sort();
  return [
    r.key,
    r.status,
    r.activity?.state ?? '-',
    b(i.utilizationPercent),
    b(i.memoryCopyUtilizationPercent),
    b(i.memoryUsedPercent),
    b(i.powerPercent),
    pods.join(','),
  ].join('|');
}

/** What the model is told about one GPU: compact, rounded, and no other tenant's names (see tenantsOf). */
export interface AiEvidence {
  /** The GPU id (as in GpuScore.gpuId) lets an answer be traced to its GPU; it is no secret to whoever sees it. */
  readonly gpu: { readonly id: string; readonly model: string; readonly migProfile?: string };
  readonly windowSeconds: number;
  readonly rules: {
    readonly weights: ScoreWeights;
    readonly thresholds: ScoreThresholds;
  };
  readonly ruleBased: {
    readonly score: number | null;
    readonly status: string;
    readonly reason?: string;
    readonly inStatusForSeconds: number;
  };
  /** The hysteresis-smoothed activity state and its evidence, when the analyzer has judged one. */
  readonly activity?: {
    readonly state: string;
    readonly reason?: string;
    readonly inStateForSeconds: number | null;
    /** How long the activity signal has stayed below the idle-enter band (null: it is not quiet now). */
    readonly quietForSeconds: number | null;
    /** How long it has stayed above the exit band while idle (null: not busy now). */
    readonly busyForSeconds: number | null;
    readonly activityPercent: number | null;
    readonly signal?: string;
    readonly idleBaselineWatts: number | null;
  };
  readonly windowAverages: {
    readonly utilizationPercent: number | null;
    readonly memoryCopyUtilizationPercent: number | null;
    readonly memoryUsedPercent: number | null;
    readonly powerPercent: number | null;
    readonly memoryUsedMiB: number | null;
    readonly powerWatts: number | null;
    readonly powerLimitWatts: number | null;
    readonly smClockMHz: number | null;
  };
  readonly allocation: AiAllocation;
  readonly askedBecause: AiAskReason;
}

export type AiAllocation =
  | { readonly allocated: false }
  | { readonly allocated: true; readonly pods: readonly { namespace?: string; pod?: string }[] }
  /** Pods of several namespaces share the device: their names are withheld (see tenantsOf). */
  | { readonly allocated: true; readonly sharedByPods: number; readonly namespaces: number };

const secondsSince = (ms: number | undefined, nowMs: number): number | null =>
  ms === undefined || !Number.isFinite(ms) ? null : Math.max(0, Math.round((nowMs - ms) / 1000));

function activityEvidence(a: DeviceActivity | undefined, nowMs: number): Pick<AiEvidence, 'activity'> {
  if (!a) return {};
  return {
    activity: {
      state: a.state,
      ...(a.reason ? { reason: a.reason } : {}),
      inStateForSeconds: secondsSince(a.sinceMs, nowMs),
      quietForSeconds: secondsSince(a.quietSinceMs, nowMs),
      busyForSeconds: secondsSince(a.busySinceMs, nowMs),
      activityPercent: round1(a.activityPercent),
      ...(a.source ? { signal: a.signalNote ? `${a.source} (${a.signalNote})` : a.source } : {}),
      idleBaselineWatts: round1(a.idleBaselineWatts),
    },
  };
}

const round1 = (v: number | undefined): number | null =>
  v === undefined || !Number.isFinite(v) ? null : Math.round(v * 10) / 10;

/**
 * The analysis is shown to every tenant that sees the GPU's score; a time-sliced GPU shared across namespaces would
 * let the model's reason quote one tenant's pod to another. So pod names are sent only when one namespace holds them.
 */
function tenantsOf(r: ScoreRecord): AiAllocation {
  if (r.tenants.length === 0) return { allocated: false };
  const namespaces = new Set(r.tenants.map((t) => t.namespace));
  if (namespaces.size > 1)
    return { allocated: true, sharedByPods: r.tenants.length, namespaces: namespaces.size };
  return { allocated: true, pods: r.tenants.map((t) => ({ namespace: t.namespace, pod: t.pod })) };
}

export function aiEvidence(
  c: AiCandidate,
  rules: { readonly weights: ScoreWeights; readonly thresholds: ScoreThresholds },
  nowMs: number,
): AiEvidence {
  const r = c.record;
  return {
    gpu: { id: r.key, model: r.model, ...(r.migProfile ? { migProfile: r.migProfile } : {}) },
    windowSeconds: r.windowSeconds,
    rules: { weights: { ...rules.weights }, thresholds: { ...rules.thresholds } },
    ruleBased: {
      score: round1(r.score),
      status: r.status,
      ...(r.reason ? { reason: r.reason } : {}),
      inStatusForSeconds: secondsSince(r.statusSince.getTime(), nowMs)!,
    },
    ...activityEvidence(r.activity, nowMs),
    windowAverages: {
      utilizationPercent: round1(r.inputs.utilizationPercent),
      memoryCopyUtilizationPercent: round1(r.inputs.memoryCopyUtilizationPercent),
      memoryUsedPercent: round1(r.inputs.memoryUsedPercent),
      powerPercent: round1(r.inputs.powerPercent),
      memoryUsedMiB: round1(r.memoryUsedMiB),
      powerWatts: round1(r.powerWatts),
      powerLimitWatts: round1(r.powerLimitWatts),
      smClockMHz: round1(r.smClockMHz),
    },
    allocation: tenantsOf(r),
    askedBecause: c.why,
  };
}
