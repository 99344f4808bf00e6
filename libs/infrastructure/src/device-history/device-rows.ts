import type { DeviceHistoryFilterInput, DeviceHistoryKind } from './device-history.model';

/** One device deviceHistory lists: identity only; its points are read for the page's rows. */
export interface DeviceRow {
  readonly kind: DeviceHistoryKind;
  /** GPU: gpuKey (UUID or UUID/migInstanceId); NPU: UUID; node: cluster/name. */
  readonly id: string;
  readonly cluster: string;
  readonly node: string;
  readonly uuid?: string;
  readonly model?: string;
  readonly namespace?: string;
}

const KIND_ORDER: Record<DeviceHistoryKind, number> = { NODE: 0, GPU: 1, NPU: 2 };

/** A node's devices together: cluster, node, the node itself before its GPUs and NPUs, then id. */
export function compareDeviceRows(a: DeviceRow, b: DeviceRow): number {
  return (
    a.cluster.localeCompare(b.cluster) ||
    a.node.localeCompare(b.node) ||
    KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
    a.id.localeCompare(b.id)
  );
}

/**
 * The filter's uuid list (the listing reads take one value per field): a GPU or NPU must be one of them; a node,
 * which has no UUID, is kept.
 */
export function keepDevice(row: DeviceRow, filter: Pick<DeviceHistoryFilterInput, 'uuids'>): boolean {
  if (!filter.uuids?.length || row.uuid === undefined) return true;
  return filter.uuids.includes(row.uuid);
}
