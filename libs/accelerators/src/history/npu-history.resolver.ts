import { Resolver } from '@nestjs/graphql';
import { Npu } from '../models/npu.model';
import { NPU_HISTORY_FIELDS, NpuHistoryMetric, NpuHistoryPoint } from '../models/npu-history.model';
import { type HistoryFieldRequest, HistoryFieldResolver } from './history-field.resolver';
import { requestedFields } from './history-range';
import { NpuHistoryLoaders } from './npu-history.loaders';
import { npuHistoryKey } from './npu-history.service';

@Resolver(() => Npu)
export class NpuHistoryResolver extends HistoryFieldResolver<Npu, NpuHistoryMetric>({
  parent: () => Npu,
  point: NpuHistoryPoint,
  metric: NpuHistoryMetric,
  description:
    "The card's readings at every step from range.from to range.to (Prometheus range reads of its exporter's " +
    'series, batched per request). Step and bounds as Gpu.history. metrics: the readings to fill (default all)',
}) {
  constructor(private readonly loaders: NpuHistoryLoaders) {
    super();
  }

  load(npu: Npu, { range, metrics, ctx, scope }: HistoryFieldRequest<NpuHistoryMetric>): Promise<unknown[]> {
    const device = { cluster: npu.cluster, uuid: npu.uuid };
    const fields = requestedFields(NPU_HISTORY_FIELDS, metrics);
    return this.loaders.for(ctx, scope).load({ ...device, id: npuHistoryKey(device), range, fields });
  }
}
