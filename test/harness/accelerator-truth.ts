import type { SimGpu } from '@kcloud/fleet-model';

/**
 * What dcgm-exporter's rows say about each physical GPU, for comparing with exporters that see whole GPUs only
 * (all-smi, nvidia_gpu_exporter): board readings are repeated on every MIG row, memory used is the instances' sum.
 */
export interface PhysicalGpuTruth {
  readonly row: SimGpu;
  readonly mig: boolean;
  readonly memoryUsedMiB: number;
}

export function physicalGpus(rows: readonly SimGpu[]): PhysicalGpuTruth[] {
  const byUuid = new Map<string, SimGpu[]>();
  for (const r of rows) byUuid.set(r.uuid, [...(byUuid.get(r.uuid) ?? []), r]);
  // Every group holds at least the row that created it.
  return [...byUuid.values()].map((group) => ({
    row: group[0]!,
    mig: group[0]!.migInstanceId !== undefined,
    memoryUsedMiB: group.reduce((sum, r) => sum + r.memoryUsedMiB, 0),
  }));
}
