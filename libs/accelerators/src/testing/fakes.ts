import type { CacheService } from '@kcloud/cache';
import type { PartialResult } from '@kcloud/common';
import type {
  DeviceFilter,
  GpuProcessSample,
  GpuSample,
  NpuSample,
  GpuProcessSource,
  GpuSnapshotSource,
  NpuSource,
} from '@kcloud/metrics-source';

/** The capabilities the accelerators services read, served by one fake. */
export type FakeSource = GpuSnapshotSource & NpuSource & GpuProcessSource;

/** A cache that always loads: services under test see every source call. */
export const passThroughCache = {
  getOrLoad: <T>(_key: string, _ttl: string, load: () => Promise<T>): Promise<T> => load(),
} as unknown as CacheService;

/** GPU, NPU and process sources (one object serving the three ports) answering from fixed lists and recording the filters it was asked with. */
export function fakeSource(data: {
  gpus?: PartialResult<GpuSample>;
  npus?: PartialResult<NpuSample>;
  processes?: PartialResult<GpuProcessSample>;
}): { source: FakeSource; calls: { method: string; filter: DeviceFilter }[] } {
  const calls: { method: string; filter: DeviceFilter }[] = [];
  const answer =
    <T>(method: string, result: PartialResult<T> | undefined) =>
    async (filter: DeviceFilter): Promise<PartialResult<T>> => {
      calls.push({ method, filter });
      return result ?? { items: [], failures: [] };
    };
  const source = {
    gpuSamples: answer('gpuSamples', data.gpus),
    npuSamples: answer('npuSamples', data.npus),
    gpuProcesses: answer('gpuProcesses', data.processes),
  } as unknown as FakeSource;
  return { source, calls };
}

const T = new Date('2026-01-15T12:00:00Z');

export function gpu(over: Partial<GpuSample> & Pick<GpuSample, 'uuid'>): GpuSample {
  return { cluster: 'c1', node: 'n1', index: 0, model: 'NVIDIA L40S', observedAt: T, ...over };
}

export function npu(over: Partial<NpuSample> & Pick<NpuSample, 'uuid'>): NpuSample {
  return {
    cluster: 'c1',
    node: 'n1',
    vendor: 'furiosa',
    model: 'RNGD',
    device: 'npu0',
    index: 0,
    observedAt: T,
    ...over,
  };
}

export function proc(
  over: Partial<GpuProcessSample> & Pick<GpuProcessSample, 'gpuUuid' | 'pid'>,
): GpuProcessSample {
  return { cluster: 'c1', name: 'python', observedAt: T, ...over };
}
