import { Injectable } from '@nestjs/common';
import {
  assertNodeWideAccess,
  badInput,
  type ClusterFailure,
  type PartialResult,
  type TenantScope,
} from '@kcloud/common';
import {
  AcceleratorsService,
  asksScores,
  GPU_HISTORY_FIELDS,
  GpuHistoryService,
  type GpuHistoryPoint,
  historyPoints,
  type HistoryRange,
  MAX_POINTS_PER_REQUEST,
  NPU_HISTORY_FIELDS,
  type NpuHistoryField,
  NpuHistoryService,
  npuHistoryKey,
  NpuService,
  pointsIn,
  requestedFields,
} from '@kcloud/accelerators';
import { gpuKey } from '@kcloud/metrics-source';
import { InfrastructureService } from '../infrastructure.service';
import { asksHost, type NodeHistoryPoint, nodeHistoryFields } from '../history/node-history.model';
import { nodeHistoryKey, NodeHistoryService } from '../history/node-history.service';
import { compareDeviceRows, type DeviceRow, keepDevice } from './device-rows';
import {
  type DeviceHistoryFilterInput,
  DeviceHistoryKind,
  type DeviceHistoryMetricsInput,
  type DeviceSeries,
} from './device-history.model';

const DEFAULT_KINDS = [DeviceHistoryKind.GPU, DeviceHistoryKind.NPU];
const NONE: PartialResult<never> = { items: [], failures: [] };

/**
 * `deviceHistory`: the devices the filter selects now (GPU and NPU snapshots, the node list — cached reads, scope
 * pushed down), paged, then one batched range read per kind for the whole page through the readers Gpu.history,
 * Npu.history and Node.history use — a page of 200 GPUs costs the same range queries per cluster as one GPU.
 */
@Injectable()
export class DeviceHistoryService {
  constructor(
    private readonly gpus: AcceleratorsService,
    private readonly npus: NpuService,
    private readonly infra: InfrastructureService,
    private readonly gpuHistory: GpuHistoryService,
    private readonly npuHistory: NpuHistoryService,
    private readonly nodeHistory: NodeHistoryService,
  ) {}

  /** Every device of the kinds asked that the filter and scope select, ordered by cluster, node, kind and id. */
  async devices(
    filter: DeviceHistoryFilterInput & { readonly labelledClusters?: readonly string[] },
    scope: TenantScope,
  ): Promise<PartialResult<DeviceRow>> {
    const kinds = filter.kinds?.length ? filter.kinds : DEFAULT_KINDS;
    if (kinds.includes(DeviceHistoryKind.NODE)) assertNodeWideAccess('node history is', scope);
    const query = {
      cluster: filter.cluster,
      labelledClusters: filter.labelledClusters,
      node: filter.node,
      namespace: filter.namespace,
      model: filter.model,
    };
    const defined = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined));
    const [gpus, npus, nodes] = await Promise.all([
      kinds.includes(DeviceHistoryKind.GPU) ? this.gpus.gpus(defined, scope) : NONE,
      kinds.includes(DeviceHistoryKind.NPU) ? this.npus.npus(defined, scope) : NONE,
      kinds.includes(DeviceHistoryKind.NODE)
        ? this.infra.nodes(
            { cluster: filter.cluster, labelledClusters: filter.labelledClusters, name: filter.node },
            scope,
          )
        : NONE,
    ]);
    const rows: DeviceRow[] = [
      ...gpus.items.map((g) => ({ ...device(DeviceHistoryKind.GPU, g), id: gpuKey(g) })),
      ...npus.items.map((n) => ({ ...device(DeviceHistoryKind.NPU, n), id: n.uuid })),
      ...nodes.items.map((n) => ({
        kind: DeviceHistoryKind.NODE,
        id: n.id,
        cluster: n.cluster,
        node: n.name,
      })),
    ];
    return {
      items: rows.filter((r) => keepDevice(r, filter)).sort(compareDeviceRows),
      failures: [...gpus.failures, ...npus.failures, ...nodes.failures],
    };
  }

  /**
   * The page's series: at most MAX_POINTS_PER_REQUEST points (devices × steps) or BAD_USER_INPUT before any read;
   * each kind's devices in one batched read, the kinds in parallel. Failed clusters come back, never dropped.
   */
  async series(
    rows: readonly DeviceRow[],
    range: HistoryRange,
    metrics: DeviceHistoryMetricsInput,
    scope: TenantScope,
  ): Promise<{ series: DeviceSeries[]; failures: ClusterFailure[] }> {
    const total = rows.length * pointsIn(range);
    if (total > MAX_POINTS_PER_REQUEST)
      throw badInput(
        'first',
        `deviceHistory asks for ${rows.length} devices × ${pointsIn(range)} points = ${total}, more than ` +
          `${MAX_POINTS_PER_REQUEST}; use a larger step, a shorter range or a smaller first`,
      );
    const of = (kind: DeviceHistoryKind) =>
      rows
        .filter((r) => r.kind === kind)
        .map((r) => ({ cluster: r.cluster, node: r.node, uuid: r.uuid ?? r.id, id: r.id }));
    const gpuFields = requestedFields(GPU_HISTORY_FIELDS, metrics.gpu);
    const npuFields = requestedFields(NPU_HISTORY_FIELDS, metrics.npu);
    const nodeFields = nodeHistoryFields(metrics.node);
    const [gpus, npus, nodes] = await Promise.all([
      of(DeviceHistoryKind.GPU).length
        ? this.gpuHistory.series(of(DeviceHistoryKind.GPU), range, scope, asksScores(gpuFields))
        : undefined,
      of(DeviceHistoryKind.NPU).length
        ? this.npuHistory.series(of(DeviceHistoryKind.NPU), range, scope)
        : undefined,
      of(DeviceHistoryKind.NODE).length
        ? this.nodeHistory.series(of(DeviceHistoryKind.NODE), range, scope, asksHost(nodeFields))
        : undefined,
    ]);
    const series = rows.map((r): DeviceSeries => {
      switch (r.kind) {
        case DeviceHistoryKind.GPU:
          return {
            ...r,
            gpuPoints: historyPoints(range, gpuFields, gpus?.byKey.get(r.id)) as GpuHistoryPoint[],
          };
        case DeviceHistoryKind.NPU:
          return {
            ...r,
            npuPoints: historyPoints<NpuHistoryField, number>(
              range,
              npuFields,
              npus?.byKey.get(npuHistoryKey({ cluster: r.cluster, uuid: r.uuid ?? r.id })),
            ),
          };
        case DeviceHistoryKind.NODE:
          return {
            ...r,
            nodePoints: historyPoints(
              range,
              nodeFields,
              nodes?.byKey.get(nodeHistoryKey({ cluster: r.cluster, node: r.node })),
            ) as NodeHistoryPoint[],
          };
      }
    });
    return {
      series,
      failures: [...(gpus?.failures ?? []), ...(npus?.failures ?? []), ...(nodes?.failures ?? [])],
    };
  }
}

function device(
  kind: DeviceHistoryKind,
  s: { cluster: string; node: string; uuid: string; model: string; namespace?: string },
): Omit<DeviceRow, 'id'> {
  return {
    kind,
    cluster: s.cluster,
    node: s.node,
    uuid: s.uuid,
    model: s.model,
    ...(s.namespace === undefined ? {} : { namespace: s.namespace }),
  };
}
