import { Inject, Injectable } from '@nestjs/common';
import { CacheService } from '@kcloud/cache';
import {
  badInput,
  narrow,
  notFound,
  type PartialResult,
  type TenantScope,
  UNRESTRICTED,
} from '@kcloud/common';
import {
  type DeviceFilter,
  gpuKey,
  type GpuSample,
  METRIC_SOURCE,
  type MetricSource,
} from '@kcloud/metrics-source';
import { compareGpus } from './gpu-view';

export interface GpuQuery {
  readonly cluster?: string;
  readonly node?: string;
  readonly namespace?: string;
  readonly pod?: string;
  readonly model?: string;
  readonly uuid?: string;
}

/** GPU reads: filter ∩ scope pushed to the source, cached per distinct filter, results in a stable order. */
@Injectable()
export class AcceleratorsService {
  constructor(
    @Inject(METRIC_SOURCE) private readonly source: MetricSource,
    private readonly cache: CacheService,
  ) {}

  async gpus(query: GpuQuery = {}, scope: TenantScope = UNRESTRICTED): Promise<PartialResult<GpuSample>> {
    const filter = toDeviceFilter(query, scope);
    if (Object.values(filter).some((v) => Array.isArray(v) && v.length === 0))
      return { items: [], failures: [] };
    const result = await this.cache.getOrLoad(`gpus:${JSON.stringify(filter)}`, 'realtime', () =>
      this.source.gpuSamples(filter),
    );
    return { items: [...result.items].sort(compareGpus), failures: result.failures };
  }

  /** One GPU by UUID, or one MIG instance by `UUID/instanceId`. */
  async gpu(
    id: string,
    scope: TenantScope = UNRESTRICTED,
  ): Promise<{ gpu: GpuSample | null; failures: PartialResult<GpuSample>['failures'] }> {
    const [uuid, instance] = id.split('/', 2);
    if (!uuid) throw badInput('uuid', 'uuid must not be empty');
    const { items, failures } = await this.gpus({ uuid }, scope);
    const matches = instance === undefined ? items : items.filter((g) => g.migInstanceId === instance);
    if (matches.length > 1 && instance === undefined) {
      throw badInput(
        'uuid',
        `GPU ${uuid} is MIG-sliced; ask for one instance: ${matches.map(gpuKey).join(', ')}`,
      );
    }
    if (!matches.length && !failures.length) throw notFound('GPU', id);
    return { gpu: matches[0] ?? null, failures };
  }
}

function toDeviceFilter(q: GpuQuery, scope: TenantScope): DeviceFilter {
  const one = (v: string | undefined) => (v === undefined ? undefined : [v]);
  const filter: Record<string, readonly string[] | undefined> = {
    clusters: narrow(one(q.cluster), scope.clusters),
    nodes: one(q.node),
    namespaces: narrow(one(q.namespace), scope.namespaces),
    pods: one(q.pod),
    models: one(q.model),
    uuids: one(q.uuid),
  };
  return Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined)) as DeviceFilter;
}
