import { Inject, Injectable } from '@nestjs/common';
import { type ClusterFailure, narrow, type TenantScope } from '@kcloud/common';
import {
  type DeviceFilter,
  matchesNothing,
  NPU_SERIES_SOURCE,
  type NpuSeriesPoint,
  type NpuSeriesSource,
} from '@kcloud/metrics-source';
import type { HistoryRange } from './history-range';

export interface NpuHistoryDevice {
  readonly cluster: string;
  readonly uuid: string;
}

/** The key NpuHistoryService answers a card under: exporters print vendor serials, unique per cluster only. */
export const npuHistoryKey = (d: NpuHistoryDevice): string => `${d.cluster}\u0000${d.uuid}`;

/**
 * Range reads for `Npu.history`: every card asked for in one call is one series read (two range queries per
 * cluster), narrowed to the caller's scope — a namespace-scoped key gets no point from a time the card belonged to
 * another tenant's pod.
 */
@Injectable()
export class NpuHistoryService {
  constructor(@Inject(NPU_SERIES_SOURCE) private readonly source: NpuSeriesSource) {}

  async series(
    devices: readonly NpuHistoryDevice[],
    range: HistoryRange,
    scope: TenantScope,
  ): Promise<{ byKey: Map<string, Map<number, NpuSeriesPoint>>; failures: readonly ClusterFailure[] }> {
    const filter: DeviceFilter = {
      clusters: narrow([...new Set(devices.map((d) => d.cluster))], scope.clusters),
      uuids: [...new Set(devices.map((d) => d.uuid))],
      ...(scope.namespaces?.length ? { namespaces: scope.namespaces } : {}),
    };
    const byKey = new Map<string, Map<number, NpuSeriesPoint>>();
    if (matchesNothing(filter)) return { byKey, failures: [] };
    const { items, failures } = await this.source.npuSeries(filter, range);
    for (const p of items) {
      const key = npuHistoryKey(p);
      let points = byKey.get(key);
      if (!points) byKey.set(key, (points = new Map()));
      // A partitioned card repeats per pod: one reading per card and step.
      if (!points.has(p.timestamp.getTime())) points.set(p.timestamp.getTime(), p);
    }
    return { byKey, failures };
  }
}
