import { badInput } from '@kcloud/common';
import type {
  NodeEnergySample,
  NodePowerSample,
  NodePowerSeries,
  PodEnergySample,
  PodPowerSample,
  PodPowerSeries,
} from '@kcloud/metrics-source';
import { MAX_POINTS_PER_SERIES } from '@kcloud/prometheus';
import { breakdownFromNodes, breakdownFromPods, type GroupWatts, groupsOf } from './breakdown';
import type { PowerGroupBy } from './models/power-group-by.enum';

/**
 * Power over time and energy over a window (pure). Both reuse the snapshot rules of breakdown.ts — per timestamp for
 * series, and on joules instead of watts for energy — so a group means the same thing in every view.
 */
export const JOULES_PER_KWH = 3_600_000;
/** A year of history is the most a power query may span. */
export const MAX_RANGE_SECONDS = 366 * 86_400;
/** Points per series when the caller names no step. */
const DEFAULT_POINTS = 240;

export interface RangeRequest {
  readonly from: Date;
  readonly to: Date;
  readonly stepSeconds?: number | null;
}

export interface ValidRange {
  readonly from: Date;
  readonly to: Date;
  readonly stepSeconds: number;
}

/** Checks a range: from < to, at most a year, a whole-second step, at most 11,000 points per series. */
export function validateRange(range: RangeRequest, needsStep: boolean): ValidRange {
  const from = range.from.getTime();
  const to = range.to.getTime();
  if (!Number.isFinite(from) || !Number.isFinite(to))
    throw badInput('range', 'range.from and range.to must be valid times');
  if (from >= to) throw badInput('range', 'range.from must be before range.to');
  const spanSeconds = (to - from) / 1000;
  if (spanSeconds > MAX_RANGE_SECONDS)
    throw badInput('range', `a range may span at most ${MAX_RANGE_SECONDS / 86_400} days`);
  if (!needsStep) return { from: range.from, to: range.to, stepSeconds: Math.ceil(spanSeconds) };
  const step = range.stepSeconds ?? Math.max(1, Math.ceil(spanSeconds / DEFAULT_POINTS));
  if (!Number.isInteger(step) || step < 1)
    throw badInput('stepSeconds', 'range.stepSeconds must be a whole number of seconds, at least 1');
  const points = Math.floor(spanSeconds / step) + 1;
  if (points > MAX_POINTS_PER_SERIES) {
    const minimum = Math.ceil(spanSeconds / (MAX_POINTS_PER_SERIES - 1));
    throw badInput(
      'stepSeconds',
      `range / stepSeconds gives ${points} points per series, more than ${MAX_POINTS_PER_SERIES}; use stepSeconds ≥ ${minimum}`,
    );
  }
  return { from: range.from, to: range.to, stepSeconds: step };
}

export interface GroupSeries {
  readonly key: string;
  readonly cluster?: string;
  readonly points: { readonly timestampMs: number; readonly watts: number }[];
}

/** Node component series → one series per group; each timestamp follows the snapshot rules. */
export function groupNodeSeries(series: readonly NodePowerSeries[], groupBy: PowerGroupBy): GroupSeries[] {
  const byTime = new Map<number, Map<string, Record<string, unknown>>>();
  for (const s of series)
    for (const [component, points] of Object.entries(s.components))
      for (const p of points ?? []) {
        const nodes = byTime.get(p.timestampMs) ?? new Map<string, Record<string, unknown>>();
        const key = `${s.cluster}\u0000${s.node}`;
        const sample = nodes.get(key) ?? {
          cluster: s.cluster,
          node: s.node,
          observedAt: new Date(p.timestampMs),
        };
        sample[component] = p.value;
        nodes.set(key, sample);
        byTime.set(p.timestampMs, nodes);
      }
  return collect(byTime, (samples) =>
    groupsOf(breakdownFromNodes(samples as unknown as NodePowerSample[], []), groupBy),
  );
}

/** Pod series (tenant power only) → one series per group. */
export function groupPodSeries(series: readonly PodPowerSeries[], groupBy: PowerGroupBy): GroupSeries[] {
  const byTime = new Map<number, Map<string, Record<string, unknown>>>();
  for (const s of series)
    for (const p of s.points) {
      const pods = byTime.get(p.timestampMs) ?? new Map<string, Record<string, unknown>>();
      pods.set(`${s.cluster}/${s.namespace}/${s.pod}`, {
        cluster: s.cluster,
        namespace: s.namespace,
        pod: s.pod,
        node: s.node,
        cpuWatts: p.value,
      });
      byTime.set(p.timestampMs, pods);
    }
  return collect(byTime, (samples) =>
    groupsOf(breakdownFromPods(samples as unknown as PodPowerSample[]), groupBy),
  );
}

function collect(
  byTime: Map<number, Map<string, Record<string, unknown>>>,
  groups: (samples: Record<string, unknown>[]) => readonly GroupWatts[],
): GroupSeries[] {
  const out = new Map<string, GroupSeries>();
  for (const t of [...byTime.keys()].sort((a, b) => a - b))
    for (const g of groups([...byTime.get(t)!.values()])) {
      const key = `${g.cluster ?? ''}\u0000${g.key}`;
      const s = out.get(key) ?? {
        key: g.key,
        ...(g.cluster === undefined ? {} : { cluster: g.cluster }),
        points: [],
      };
      s.points.push({ timestampMs: t, watts: g.watts });
      out.set(key, s);
    }
  return [...out.values()].sort(
    (a, b) => a.key.localeCompare(b.key) || (a.cluster ?? '').localeCompare(b.cluster ?? ''),
  );
}

/** Node energy (joules per component) → joules per group, by the same rules as power. */
export function groupNodeEnergy(
  samples: readonly NodeEnergySample[],
  groupBy: PowerGroupBy,
): readonly GroupWatts[] {
  const asPower = samples.map((s) => ({
    cluster: s.cluster,
    node: s.node,
    ...s.joules,
    observedAt: new Date(0),
  }));
  return groupsOf(breakdownFromNodes(asPower, []), groupBy);
}

export function groupPodEnergy(
  samples: readonly PodEnergySample[],
  groupBy: PowerGroupBy,
): readonly GroupWatts[] {
  return groupsOf(
    breakdownFromPods(samples.map((s) => ({ ...s, cpuWatts: s.joules, observedAt: new Date(0) }))),
    groupBy,
  );
}
