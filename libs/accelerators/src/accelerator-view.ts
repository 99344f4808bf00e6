import type { GpuSample, NpuSample } from '@kcloud/metrics-source';
import { toGpu } from './gpu-view';
import { AcceleratorKind } from './models/accelerator.model';
import type { Gpu } from './models/gpu.model';
import type { Npu } from './models/npu.model';
import { toNpu } from './npu-view';

/** One device of the unified list, tagged with its kind. */
export type AcceleratorItem =
  | { readonly kind: AcceleratorKind.GPU; readonly sample: GpuSample }
  | { readonly kind: AcceleratorKind.NPU; readonly sample: NpuSample };

export function toAccelerator(item: AcceleratorItem): Gpu | Npu {
  return item.kind === AcceleratorKind.GPU ? toGpu(item.sample) : toNpu(item.sample);
}

/** Cluster, node, GPUs before NPUs, then device index (and MIG instance for GPUs). */
export function compareAccelerators(a: AcceleratorItem, b: AcceleratorItem): number {
  return (
    a.sample.cluster.localeCompare(b.sample.cluster) ||
    a.sample.node.localeCompare(b.sample.node) ||
    a.kind.localeCompare(b.kind) ||
    a.sample.index - b.sample.index ||
    instanceOf(a).localeCompare(instanceOf(b), undefined, { numeric: true })
  );
}

function instanceOf(item: AcceleratorItem): string {
  return item.kind === AcceleratorKind.GPU ? (item.sample.migInstanceId ?? '') : item.sample.uuid;
}
