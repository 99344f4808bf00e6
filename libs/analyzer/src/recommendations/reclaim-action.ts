import { GpuActivityState } from '../activity/activity-state';

export enum ReclaimAction {
  STOP_NOTEBOOK = 'STOP_NOTEBOOK',
  SCALE_TO_ZERO = 'SCALE_TO_ZERO',
  MOVE_TO_SMALLER_MIG_PROFILE = 'MOVE_TO_SMALLER_MIG_PROFILE',
  RELEASE_GPU = 'RELEASE_GPU',
}

export interface ActionInput {
  readonly state: GpuActivityState;
  readonly model: string;
  readonly pod?: string;
  readonly container?: string;
  readonly ownerKind?: string;
  readonly ownerName?: string;
  readonly migProfile?: string;
  /** Activity of the latest window, 0–100. */
  readonly activityPercent?: number;
  readonly memoryUsedMiB?: number;
  readonly memoryUsedPercent?: number;
}

/** Models that can be partitioned with MIG, and their compute slices per GPU. */
const MIG_MODELS: readonly [RegExp, number][] = [
  [/\b(A100|H100|H200|H20|B200|GB200)\b/, 7],
  [/\bA30\b/, 4],
];
/** Of a MIG GPU's memory, eighths per compute-slice step (1g, 2g, 3g/4g, 7g): the shape of NVIDIA's profiles. */
const MIG_STEPS: readonly { readonly slices: number; readonly eighths: number }[] = [
  { slices: 1, eighths: 1 },
  { slices: 2, eighths: 2 },
  { slices: 3, eighths: 4 },
];
/** Headroom a smaller profile must leave above the memory held. */
const MEMORY_HEADROOM = 1.2;
/** Below this activity (%) a holder does no compute at all: reclaiming, not resizing, is the advice. */
const SOME_COMPUTE_PERCENT = 0.5;

const NOTEBOOK = /(jupyter|notebook|rstudio|vscode|code-server)/i;

/**
 * What to scale: a ReplicaSet named `<deployment>-<pod-template-hash>` belongs to that Deployment (scaling the
 * ReplicaSet alone would be undone by it); anything else is scaled itself.
 */
export function scaleTarget(kind: string, name: string): string {
  const deployment = kind === 'ReplicaSet' ? /^(.+)-[a-z0-9]{8,10}$/.exec(name) : null;
  return deployment ? `Deployment/${deployment[1]}` : `${kind}/${name}`;
}

/** The smallest MIG profile whose memory holds what the pod holds, if smaller than what it has. */
export function smallerMigProfile(i: ActionInput): string | undefined {
  const mig = MIG_MODELS.find(([re]) => re.test(i.model));
  if (!mig || !i.memoryUsedMiB || !i.memoryUsedPercent || i.memoryUsedPercent <= 0) return undefined;
  const perGpu = mig[1];
  const capacityMiB = (i.memoryUsedMiB / i.memoryUsedPercent) * 100;
  const currentSlices = i.migProfile ? Number(/^(\d+)g\./.exec(i.migProfile)?.[1] ?? perGpu) : perGpu;
  // A MIG instance's capacity is its own; the board's is what the profile names are written in.
  const boardMiB = i.migProfile ? capacityMiB * (perGpu / currentSlices) : capacityMiB;
  for (const step of MIG_STEPS) {
    if (step.slices >= currentSlices || (perGpu === 4 && step.slices === 3)) continue;
    const memMiB = (boardMiB * step.eighths) / 8;
    if (memMiB >= i.memoryUsedMiB * MEMORY_HEADROOM) return `${step.slices}g.${Math.round(memMiB / 1024)}gb`;
  }
  return undefined;
}

/**
 * What to do with a wasted GPU, the most specific first: a pod that still computes a little and holds memory a
 * smaller MIG profile would hold is resized; a notebook is stopped; a controller's pod is scaled to zero; anything
 * else (a Job, a bare pod) gives the GPU back. Advice only: nothing here acts.
 */
export function chooseAction(i: ActionInput): { action: ReclaimAction; reason: string } {
  const owner = i.ownerKind ? `${i.ownerKind}/${i.ownerName ?? ''}` : undefined;
  const held = i.memoryUsedMiB !== undefined ? `${Math.round(i.memoryUsedMiB)} MiB held` : 'memory held';
  const activity =
    i.activityPercent !== undefined ? `${i.activityPercent.toFixed(1)} % activity` : 'no activity';
  if (i.state === GpuActivityState.IDLE_HELD && (i.activityPercent ?? 0) >= SOME_COMPUTE_PERCENT) {
    const profile = smallerMigProfile(i);
    if (profile)
      return {
        action: ReclaimAction.MOVE_TO_SMALLER_MIG_PROFILE,
        reason: `${held} at ${activity}: a ${profile} MIG instance would do (now ${i.migProfile ?? 'a whole GPU'})`,
      };
  }
  const what = i.state === GpuActivityState.IDLE_HELD ? `${held}, ${activity}` : `nothing held, ${activity}`;
  if (i.ownerKind === 'Notebook' || NOTEBOOK.test(`${i.pod ?? ''} ${i.ownerName ?? ''} ${i.container ?? ''}`))
    return {
      action: ReclaimAction.STOP_NOTEBOOK,
      reason: `idle notebook (${what}): stop it, its volume stays`,
    };
  if (i.ownerKind && ['Deployment', 'ReplicaSet', 'StatefulSet'].includes(i.ownerKind))
    return {
      action: ReclaimAction.SCALE_TO_ZERO,
      reason: `${owner} idle (${what}): scale ${scaleTarget(i.ownerKind, i.ownerName ?? '')} to zero replicas`,
    };
  return {
    action: ReclaimAction.RELEASE_GPU,
    reason: `${owner ?? 'bare pod'} idle (${what}): end it to release the GPU`,
  };
}
