import { METRIC_LABEL } from './dcgm-families';
import { joinNvidiaGpu, nvidiaGpuIdentityQuery, nvidiaGpuValuesQuery } from './nvidia-gpu';

const MIB = 1024 * 1024;
const id = (node: string, gpu: string, extra: Record<string, string> = {}) => ({
  labels: { __name__: 'nvidia_gpu_used_memory_bytes', node, gpu, ...extra },
  value: 1_700_000_000,
});
const v = (node: string, gpu: string, family: string, value: number) => ({
  labels: { [METRIC_LABEL]: family, node, gpu },
  value,
});

describe('seed 004 nvidia_gpu_* family', () => {
  it('reads identity from the memory-used series and the values of every family in one request', () => {
    expect(nvidiaGpuIdentityQuery({}, [])).toBe('timestamp(nvidia_gpu_used_memory_bytes)');
    expect(nvidiaGpuValuesQuery([])).toContain(
      'nvidia_gpu_utilization_percent|nvidia_gpu_memory_utilization_percent',
    );
    expect(nvidiaGpuValuesQuery([])).toContain('max by (kcloud_metric, node, gpu)');
  });

  it('identifies a GPU by node and index, converts bytes to MiB, derives the reservation from the total', () => {
    const [gpu, other] = joinNvidiaGpu(
      'c',
      [id('n1', '0'), id('n1', '0'), id('n2', '1', { uuid: 'GPU-abc', name: 'NVIDIA A100' })],
      [
        v('n1', '0', 'nvidia_gpu_utilization_percent', 87),
        v('n1', '0', 'nvidia_gpu_memory_utilization_percent', 40),
        v('n1', '0', 'nvidia_gpu_used_memory_bytes', 1000 * MIB),
        v('n1', '0', 'nvidia_gpu_free_memory_bytes', 80_000 * MIB),
        v('n1', '0', 'nvidia_gpu_total_memory_bytes', 81_920 * MIB),
        v('n1', '0', 'nvidia_gpu_temperature_celsius', 55),
      ],
    );
    expect(gpu).toMatchObject({
      cluster: 'c',
      node: 'n1',
      uuid: 'n1/gpu0',
      index: 0,
      model: 'unknown',
      utilizationPercent: 87,
      memoryCopyUtilizationPercent: 40,
      memoryUsedMiB: 1000,
      memoryFreeMiB: 80_000,
      memoryReservedMiB: 920,
      temperatureCelsius: 55,
      observedAt: new Date(1_700_000_000_000),
    });
    expect(gpu!.powerWatts).toBeUndefined();
    expect(other).toMatchObject({
      uuid: 'GPU-abc',
      model: 'NVIDIA A100',
      index: 1,
      memoryUsedMiB: undefined,
    });
  });

  it('skips rows without a node or a numeric gpu label', () => {
    expect(joinNvidiaGpu('c', [id('', '0'), id('n1', 'x')], [])).toEqual([]);
  });
});
