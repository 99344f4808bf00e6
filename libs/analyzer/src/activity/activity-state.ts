import { registerEnumType } from '@nestjs/graphql';

/**
 * Allocation-aware activity state of one GPU or MIG instance (issue 16). Unlike GpuScoreStatus, which follows each
 * window, this state moves only through hysteresis (see activity-machine.ts), so a data-loader stall or a quiet gap
 * in inference does not flip it. String values equal the names: they are also the `state` label of the exported gauge.
 */
export enum GpuActivityState {
  ACTIVE = 'ACTIVE',
  /** Allocated to a pod that holds framebuffer memory, with no sustained activity. */
  IDLE_HELD = 'IDLE_HELD',
  /** Allocated to a pod, nothing held in framebuffer memory, no activity. */
  IDLE_ALLOCATED = 'IDLE_ALLOCATED',
  /** No pod holds the GPU. */
  UNALLOCATED = 'UNALLOCATED',
  /** Stale, frozen, corrupt or contradictory data: the reason says which. */
  UNKNOWN = 'UNKNOWN',
}
registerEnumType(GpuActivityState, {
  name: 'GpuActivityState',
  description:
    'ACTIVE, IDLE_HELD (allocated, memory held, no sustained activity), IDLE_ALLOCATED (allocated, nothing held), ' +
    'UNALLOCATED, or UNKNOWN (data cannot be trusted); idle states are entered and left with hysteresis',
});

/** The states that count as a lent-and-wasted GPU (idle accounting and reclaim recommendations). */
export function isWasted(state: GpuActivityState | undefined): boolean {
  return state === GpuActivityState.IDLE_HELD || state === GpuActivityState.IDLE_ALLOCATED;
}

/** The current activity state of one device, as the analyzer publishes it after each cycle. */
export interface ActivityRecord {
  /** gpuKey(): UUID, or UUID/migInstanceId on a MIG instance. */
  readonly key: string;
  readonly cluster: string;
  readonly node: string;
  readonly uuid: string;
  readonly migInstanceId?: string;
  readonly model: string;
  /** The pod holding the device (from dcgm-exporter's tenant labels); absent when UNALLOCATED. */
  readonly namespace?: string;
  readonly pod?: string;
  readonly state: GpuActivityState;
  /** When the device entered `state` (survives restarts through the analyzer's shared state). */
  readonly since: Date;
  readonly reason?: string;
  /** The activity signal of the latest window, 0–100 (absent when it could not be read). */
  readonly activityPercent?: number;
}
