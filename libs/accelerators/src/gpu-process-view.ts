import type { GpuProcessSample, GpuSample } from '@kcloud/metrics-source';
import type { GpuProcess } from './models/gpu-process.model';

/** What a process inherits from its GPU. */
export interface GpuRef {
  readonly node: string;
  readonly index: number;
  readonly namespace?: string;
  readonly pod?: string;
  readonly container?: string;
}

const refKey = (cluster: string, uuid: string): string => `${cluster}\u0000${uuid}`;

/**
 * One entry per physical GPU. Processes carry only the GPU's UUID, so on a MIG-sliced GPU a process cannot be told
 * apart between instances: the GPU's tenant is kept only when every instance has the same one, never guessed.
 */
export function gpuRefs(gpus: readonly GpuSample[]): Map<string, GpuRef> {
  const refs = new Map<string, GpuRef>();
  for (const g of gpus) {
    const key = refKey(g.cluster, g.uuid);
    const seen = refs.get(key);
    const tenant = { namespace: g.namespace, pod: g.pod, container: g.container };
    if (!seen) refs.set(key, { node: g.node, index: g.index, ...tenant });
    else if (
      seen.namespace !== tenant.namespace ||
      seen.pod !== tenant.pod ||
      seen.container !== tenant.container
    )
      refs.set(key, { node: seen.node, index: seen.index });
  }
  return refs;
}

export function refOf(refs: ReadonlyMap<string, GpuRef>, p: GpuProcessSample): GpuRef | undefined {
  return refs.get(refKey(p.cluster, p.gpuUuid));
}

export function toGpuProcess(p: GpuProcessSample, gpu: GpuRef | undefined): GpuProcess {
  return {
    cluster: p.cluster,
    node: gpu?.node,
    gpuUuid: p.gpuUuid,
    gpuIndex: gpu?.index,
    namespace: gpu?.namespace,
    pod: gpu?.pod,
    container: gpu?.container,
    pid: p.pid,
    processName: p.name,
    user: p.user,
    command: p.command,
    gpuMemoryUsedMiB: p.gpuMemoryUsedMiB,
    cpuPercent: p.cpuPercent,
    memoryPercent: undefined,
    observedAt: p.observedAt,
  };
}

/** Stable listing order: cluster, node (processes of unknown GPUs last), GPU index, pid. */
export function compareGpuProcesses(a: GpuProcess, b: GpuProcess): number {
  return (
    a.cluster.localeCompare(b.cluster) ||
    Number(a.node === undefined) - Number(b.node === undefined) ||
    (a.node ?? '').localeCompare(b.node ?? '') ||
    (a.gpuIndex ?? -1) - (b.gpuIndex ?? -1) ||
    a.gpuUuid.localeCompare(b.gpuUuid) ||
    a.pid - b.pid
  );
}
