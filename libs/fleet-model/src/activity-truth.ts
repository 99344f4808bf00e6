import type { ClusterState } from './build';
import type { FrozenDevices } from './frozen-devices';
import { PATTERNS } from './patterns';
import type { SimTenant, WorkloadPattern } from './types';

/** The activity state a device's pattern implies: the analyzer's GpuActivityState names. */
export type TruthState = 'ACTIVE' | 'IDLE_HELD' | 'IDLE_ALLOCATED' | 'UNALLOCATED' | 'UNKNOWN';

/** The ground truth of one GPU or MIG instance: what it does, and since when. */
export interface ActivityTruth {
  /** `uuid`, or `uuid/migInstanceId` (gpuKeyOf). */
  readonly key: string;
  readonly cluster: string;
  readonly node: string;
  readonly uuid: string;
  readonly migInstanceId?: string;
  readonly pattern: WorkloadPattern;
  readonly namespace?: string;
  readonly pod?: string;
  readonly state: TruthState;
  /** Since when the state holds (epoch ms); absent: since the scenario began. */
  readonly sinceMs?: number;
  /** Lent and wasted: IDLE_HELD or IDLE_ALLOCATED. */
  readonly wasted: boolean;
}

/**
 * A pattern's state: no pod → UNALLOCATED; a pod whose device never runs anything → IDLE_HELD when the pattern holds
 * framebuffer memory, IDLE_ALLOCATED when not; anything that runs kernels (even in bursts, or with stalls) → ACTIVE.
 * A frozen device is UNKNOWN: its data say nothing about it.
 */
export function truthOf(
  d: {
    readonly cluster: string;
    readonly node: string;
    readonly uuid: string;
    readonly migInstanceId?: string;
    readonly pattern: WorkloadPattern;
    readonly tenant?: SimTenant;
    readonly patternSinceMs?: number;
  },
  frozenSinceMs: number | undefined,
): ActivityTruth {
  const profile = PATTERNS[d.pattern];
  const neverBusy = profile.busy.utilPercent[1] === 0 && !profile.quiet;
  const state: TruthState =
    frozenSinceMs !== undefined
      ? 'UNKNOWN'
      : !profile.allocated || !d.tenant
        ? 'UNALLOCATED'
        : !neverBusy
          ? 'ACTIVE'
          : profile.memoryFraction[0] >= HELD_FRACTION
            ? 'IDLE_HELD'
            : 'IDLE_ALLOCATED';
  return {
    key: d.migInstanceId ? `${d.uuid}/${d.migInstanceId}` : d.uuid,
    cluster: d.cluster,
    node: d.node,
    uuid: d.uuid,
    migInstanceId: d.migInstanceId,
    pattern: d.pattern,
    namespace: d.tenant?.namespace,
    pod: d.tenant?.pod,
    state,
    sinceMs: frozenSinceMs ?? d.patternSinceMs,
    wasted: state === 'IDLE_HELD' || state === 'IDLE_ALLOCATED',
  };
}

/** A pattern holds memory when it keeps at least this share of the framebuffer (a CUDA context alone is < 1 %). */
const HELD_FRACTION = 0.05;

/** The truth of every GPU and MIG instance of `clusters` at `atMs`; a device frozen by then is UNKNOWN since its freeze. */
export function fleetActivityTruth(
  clusters: readonly ClusterState[],
  frozen: FrozenDevices,
  atMs: number,
): ActivityTruth[] {
  const out: ActivityTruth[] = [];
  for (const c of clusters)
    for (const node of c.nodes)
      for (const gpu of node.gpus) {
        const frozenSinceMs = frozen.sinceOf(gpu.uuid);
        const holders = gpu.mig ?? [gpu];
        for (const h of holders)
          out.push(
            truthOf(
              {
                cluster: c.name,
                node: node.name,
                uuid: gpu.uuid,
                migInstanceId: 'instanceId' in h ? h.instanceId : undefined,
                pattern: h.pattern,
                tenant: h.tenant,
                patternSinceMs: h.patternSinceMs,
              },
              frozenSinceMs !== undefined && frozenSinceMs <= atMs ? frozenSinceMs : undefined,
            ),
          );
      }
  return out;
}
