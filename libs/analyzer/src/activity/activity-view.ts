import type { GpuScore } from '../models/gpu-score.model';
import type { ScoreRecord } from '../scoring/records';
import { type ActivityRecord, GpuActivityState } from './activity-state';
import type { DeviceActivity } from './device-activity';

type ActivityFields = Pick<
  GpuScore,
  'activityState' | 'activityStateSince' | 'activityReason' | 'activityPercent' | 'activitySource'
>;

/** The GpuScore activity fields of a device (UNKNOWN before any cycle judged it, e.g. results of an older version). */
export function activityFields(a: DeviceActivity | undefined): ActivityFields {
  if (!a) return { activityState: GpuActivityState.UNKNOWN, activityReason: 'not judged yet' };
  return {
    activityState: a.state,
    activityStateSince: new Date(a.sinceMs),
    activityReason: [a.reason, a.signalNote].filter(Boolean).join('; ') || undefined,
    activityPercent: a.activityPercent,
    activitySource: a.source,
  };
}

/** The state of a device as served: UNKNOWN when not judged yet. */
export function activityStateOf(r: Pick<ScoreRecord, 'activity'>): GpuActivityState {
  return r.activity?.state ?? GpuActivityState.UNKNOWN;
}

/**
 * The activity states of the current results, one per device (the contract idle accounting and reclaim
 * recommendations read). The pod is the first holder; a time-sliced device lists one record per holder.
 */
export function activityRecords(records: readonly ScoreRecord[]): ActivityRecord[] {
  return records.flatMap((r) => {
    const a = r.activity;
    const base = {
      key: r.key,
      cluster: r.cluster,
      node: r.node,
      uuid: r.uuid,
      migInstanceId: r.migInstanceId,
      model: r.model,
      state: a?.state ?? GpuActivityState.UNKNOWN,
      since: new Date(a?.sinceMs ?? r.computedAt.getTime()),
      reason: a?.reason ?? (a ? undefined : 'not judged yet'),
      activityPercent: a?.activityPercent,
    };
    const holders = r.tenants.filter((t) => t.pod);
    if (holders.length === 0) return [base];
    return holders.map((t) => ({ ...base, namespace: t.namespace, pod: t.pod }));
  });
}
