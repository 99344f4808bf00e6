import { InvalidReadingReason, type GpuSample } from '@kcloud/metrics-source';
import { toGpu } from './gpu-view';

const sample: GpuSample = {
  cluster: 'c',
  node: 'n',
  uuid: 'GPU-a',
  index: 0,
  model: 'NVIDIA H100 80GB HBM3',
  memoryUsedMiB: 1000,
  memoryFreeMiB: 80000,
  memoryReservedMiB: 559,
  observedAt: new Date(0),
};

describe('toGpu', () => {
  it('totals used + free + reserved framebuffer', () => {
    expect(toGpu(sample).memoryTotalMiB).toBe(81559);
  });

  it('serves no total when a part was refused (a blank reservation is unknown, not 0)', () => {
    const refused = (field: keyof GpuSample): GpuSample => ({
      ...sample,
      [field]: undefined,
      invalidReadings: [{ field, reason: InvalidReadingReason.DCGM_BLANK }],
    });
    expect(toGpu(refused('memoryReservedMiB')).memoryTotalMiB).toBeUndefined();
    expect(toGpu(refused('memoryUsedMiB')).memoryTotalMiB).toBeUndefined();
    expect(toGpu(refused('memoryUsedMiB')).memoryUsedMiB).toBeUndefined();
  });
});
