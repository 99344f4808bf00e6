import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { badInput, type PartialErrorsContext, reportClusterFailures, type TenantScope } from '@kcloud/common';
import { GpuHistoryService } from './gpu-history.service';
import {
  type HistoryField,
  type HistoryPoint,
  historyPoints,
  type HistoryRange,
  MAX_POINTS_PER_REQUEST,
  pointsIn,
} from './history-range';

export interface HistoryRef {
  readonly cluster: string;
  readonly uuid: string;
  /** gpuKey: the UUID, or UUID/migInstanceId. */
  readonly id: string;
  readonly range: HistoryRange;
  readonly fields: readonly HistoryField[];
}

type HistoryLoader = DataLoader<HistoryRef, HistoryPoint[], string>;

const rangeKey = (r: HistoryRange): string => `${r.from.getTime()}:${r.to.getTime()}:${r.stepSeconds}`;
const refKey = (r: HistoryRef): string =>
  `${r.cluster}\u0000${r.id}\u0000${rangeKey(r.range)}\u0000${r.fields.join()}`;

/**
 * Per-request loader for `Gpu.history`: all GPUs of one request asking the same range become one series read (see
 * GpuHistoryService), never one per GPU. Different ranges in one request are read once each.
 */
@Injectable()
export class GpuHistoryLoaders {
  private readonly byRequest = new WeakMap<object, HistoryLoader>();

  constructor(private readonly history: GpuHistoryService) {}

  for(context: PartialErrorsContext, scope: TenantScope): HistoryLoader {
    let loader = this.byRequest.get(context);
    if (!loader) {
      loader = new DataLoader(
        async (refs: readonly HistoryRef[]) => {
          const total = refs.reduce((sum, r) => sum + pointsIn(r.range), 0);
          if (total > MAX_POINTS_PER_REQUEST)
            throw badInput(
              'range',
              `history asks for ${total} points in one request, more than ${MAX_POINTS_PER_REQUEST}; use a larger step, a shorter range or fewer GPUs`,
            );
          const groups = new Map<string, HistoryRef[]>();
          for (const r of refs) groups.set(rangeKey(r.range), [...(groups.get(rangeKey(r.range)) ?? []), r]);
          const out = new Map<string, HistoryPoint[]>();
          await Promise.all(
            [...groups.values()].map(async (group) => {
              const { byKey, failures } = await this.history.series(group, group[0].range, scope);
              reportClusterFailures(context, failures);
              for (const r of group) out.set(refKey(r), historyPoints(r.range, r.fields, byKey.get(r.id)));
            }),
          );
          return refs.map((r) => out.get(refKey(r)) ?? []);
        },
        { cacheKeyFn: refKey },
      );
      this.byRequest.set(context, loader);
    }
    return loader;
  }
}
