import type { GpuWindowAggregate } from '@kcloud/metrics-source';
import type { DeviceScore } from '../scoring/scoring';

/**
 * With ANALYZER_ALLOCATED_ONLY the analyzer scores only devices some pod holds (seed 002's `{pod!=""}`), so its
 * totals match a scheduler's view. The others are still listed, as `unallocated` (see asUnallocated): a GPU nobody
 * holds is a fact a dashboard shows, not one to hide.
 */
export function allocatedOnly(
  items: readonly GpuWindowAggregate[],
  enabled: boolean,
): { scored: GpuWindowAggregate[]; unallocated: GpuWindowAggregate[] } {
  if (!enabled) return { scored: [...items], unallocated: [] };
  const scored: GpuWindowAggregate[] = [];
  const unallocated: GpuWindowAggregate[] = [];
  for (const a of items) (a.tenants.length > 0 ? scored : unallocated).push(a);
  return { scored, unallocated };
}

export const UNALLOCATED_REASON =
  'not scored: no pod holds this GPU (ANALYZER_ALLOCATED_ONLY scores only GPUs allocated to pods)';

/**
 * The result of a device left unscored because no pod holds it: no score (so no average, total or band counts it),
 * status `unallocated` with the reason; its readings stay (a dashboard may still show what an unheld GPU draws), and
 * what was wrong with its data, if anything, is kept in the reason.
 */
export function asUnallocated(s: DeviceScore): DeviceScore {
  const data = s.status === 'unknown' && s.reason ? `; its data: ${s.reason}` : '';
  return {
    inputs: s.inputs,
    sources: s.sources,
    powerLimitWatts: s.powerLimitWatts,
    status: 'unallocated',
    reason: UNALLOCATED_REASON + data,
  };
}
