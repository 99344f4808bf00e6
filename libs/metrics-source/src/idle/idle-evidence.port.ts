import type { PartialResult } from '@kcloud/common';

/**
 * What idle accounting and reclaim recommendations read besides the analyzer's window: each physical board's energy
 * counter (DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION, so idle energy is measured, not estimated from power samples) and
 * each pod's controller (kube-state-metrics), which decides the suggested action. A port of its own, like device
 * quality: one request per cluster and read, whatever the GPU count.
 */
export const IDLE_EVIDENCE_SOURCE = Symbol('IDLE_EVIDENCE_SOURCE');

/** One physical GPU's energy counter; MIG instances share their board's, so it is read once per UUID. */
export interface BoardEnergyReading {
  readonly cluster: string;
  readonly uuid: string;
  /** Energy since the driver was loaded (DCGM reports mJ; converted here). Resets on driver reload. */
  readonly energyJoules: number;
  /** When the exporter's sample was taken: energy rates are measured between sample times, not query times. */
  readonly observedAt: Date;
}

/** The controller that created a pod (kube_pod_info created_by_kind / created_by_name); empty for a bare pod. */
export interface PodOwner {
  readonly cluster: string;
  readonly namespace: string;
  readonly pod: string;
  readonly ownerKind: string;
  readonly ownerName: string;
}

export interface IdleEvidenceSource {
  /** The newest counter reading of every board at `at` (clusters: all when undefined). */
  boardEnergy(clusters: readonly string[] | undefined, at: Date): Promise<PartialResult<BoardEnergyReading>>;
  podOwners(clusters: readonly string[] | undefined): Promise<PartialResult<PodOwner>>;
}
