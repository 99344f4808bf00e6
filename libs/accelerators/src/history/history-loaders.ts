import DataLoader from 'dataloader';
import {
  badInput,
  type ClusterFailure,
  type PartialErrorsContext,
  reportClusterFailures,
  type TenantScope,
} from '@kcloud/common';
import {
  historyPoints,
  type HistoryPoint,
  type HistoryRange,
  type HistoryReadings,
  MAX_POINTS_PER_REQUEST,
  pointsIn,
} from './history-range';

/** One device's history as a resolver asks for it. */
export interface HistoryRequest<F extends string> {
  /** The key the series read answers the device under. */
  readonly id: string;
  readonly range: HistoryRange;
  readonly fields: readonly F[];
}

/** Every device of one request asking one range, read together. */
export type HistorySeriesRead<R, F extends string, V = number> = (
  devices: readonly R[],
  range: HistoryRange,
  scope: TenantScope,
) => Promise<{
  /** device id → step timestamp (ms) → readings. */
  readonly byKey: ReadonlyMap<string, ReadonlyMap<number, HistoryReadings<F, V>>>;
  readonly failures: readonly ClusterFailure[];
}>;

const rangeKey = (r: HistoryRange): string => `${r.from.getTime()}:${r.to.getTime()}:${r.stepSeconds}`;
const requestKey = (r: HistoryRequest<string>): string =>
  `${r.id}\u0000${rangeKey(r.range)}\u0000${r.fields.join()}`;

/**
 * Per-request loaders for a device kind's `history` field: all devices of one request asking the same range become
 * one series read, never one per device; different ranges in one request are read once each. The points of the
 * whole request are bounded (MAX_POINTS_PER_REQUEST) before anything is read.
 */
export class HistoryLoaders<R extends HistoryRequest<F>, F extends string, V = number> {
  private readonly byRequest = new WeakMap<object, DataLoader<R, HistoryPoint<F, V>[], string>>();

  constructor(
    /** Plural device noun for the error message ("GPUs"). */
    private readonly devices: string,
    private readonly read: HistorySeriesRead<R, F, V>,
  ) {}

  for(context: PartialErrorsContext, scope: TenantScope): DataLoader<R, HistoryPoint<F, V>[], string> {
    let loader = this.byRequest.get(context);
    if (!loader) {
      loader = new DataLoader(
        async (refs: readonly R[]) => {
          const total = refs.reduce((sum, r) => sum + pointsIn(r.range), 0);
          if (total > MAX_POINTS_PER_REQUEST)
            throw badInput(
              'range',
              `history asks for ${total} points in one request, more than ${MAX_POINTS_PER_REQUEST}; use a larger step, a shorter range or fewer ${this.devices}`,
            );
          const groups = new Map<string, R[]>();
          for (const r of refs) groups.set(rangeKey(r.range), [...(groups.get(rangeKey(r.range)) ?? []), r]);
          const out = new Map<string, HistoryPoint<F, V>[]>();
          await Promise.all(
            [...groups.values()].map(async (group) => {
              const [first] = group;
              if (!first) return; // a group is created with its first request
              const { byKey, failures } = await this.read(group, first.range, scope);
              reportClusterFailures(context, failures);
              for (const r of group)
                out.set(requestKey(r), historyPoints(r.range, r.fields, byKey.get(r.id)));
            }),
          );
          return refs.map((r) => out.get(requestKey(r)) ?? []);
        },
        { cacheKeyFn: requestKey },
      );
      this.byRequest.set(context, loader);
    }
    return loader;
  }
}
