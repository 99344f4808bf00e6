import { Resolver } from '@nestjs/graphql';
import { Gpu } from '../models/gpu.model';
import { GpuHistoryMetric, GpuHistoryPoint } from '../models/gpu-history.model';
import { GpuHistoryLoaders } from './gpu-history.loaders';
import { GPU_HISTORY_FIELDS } from './gpu-history.service';
import { type HistoryFieldRequest, HistoryFieldResolver } from './history-field.resolver';
import { requestedFields } from './history-range';

@Resolver(() => Gpu)
export class GpuHistoryResolver extends HistoryFieldResolver<Gpu, GpuHistoryMetric>({
  parent: () => Gpu,
  point: GpuHistoryPoint,
  metric: GpuHistoryMetric,
  description:
    "The GPU's readings at every step from range.from to range.to (Prometheus range reads, batched per request). " +
    'Step: stepSeconds, else range.stepSeconds, else the coarser of 60 s and ~720 points; at most 11,000 points ' +
    'per GPU and 250,000 per request. metrics: the readings to fill (default all); others stay null. SCORE and ' +
    "STATUS come from the analyzer's exported gpu_utilization_score series in Prometheus (one more range query)",
}) {
  constructor(private readonly loaders: GpuHistoryLoaders) {
    super();
  }

  load(gpu: Gpu, { range, metrics, ctx, scope }: HistoryFieldRequest<GpuHistoryMetric>): Promise<unknown[]> {
    const fields = requestedFields(GPU_HISTORY_FIELDS, metrics);
    // Each field carries the type its source gives it: the DCGM readings and score are numbers, status a string.
    return this.loaders
      .for(ctx, scope)
      .load({ cluster: gpu.cluster, uuid: gpu.uuid, id: gpu.id, range, fields });
  }
}
