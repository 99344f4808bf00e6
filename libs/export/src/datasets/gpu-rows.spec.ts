import { InvalidReadingReason, type GpuSample } from '@kcloud/metrics-source';
import { GPU_SNAPSHOT_COLUMNS, gpuSnapshotRow } from './gpu-rows';

const sample: GpuSample = {
  cluster: 'c',
  node: 'n',
  uuid: 'GPU-a',
  index: 0,
  model: 'NVIDIA H100 80GB HBM3',
  memoryUsedMiB: 1000,
  observedAt: new Date(0),
};

describe('GPU export rows', () => {
  const cell = (s: GpuSample, column: string) =>
    gpuSnapshotRow(s)[GPU_SNAPSHOT_COLUMNS.findIndex((c) => c.name === column)];

  it('leaves a refused reading empty and names the field and reason in invalid_readings', () => {
    const refused: GpuSample = {
      ...sample,
      invalidReadings: [
        { field: 'temperatureCelsius', reason: InvalidReadingReason.DCGM_BLANK },
        { field: 'powerWatts', reason: InvalidReadingReason.NOT_A_NUMBER },
      ],
    };
    expect(cell(refused, 'temperature_celsius')).toBeNull();
    expect(cell(refused, 'power_watts')).toBeNull();
    expect(cell(refused, 'memory_used_mib')).toBe(1000);
    expect(cell(refused, 'invalid_readings')).toBe('temperatureCelsius=DCGM_BLANK;powerWatts=NOT_A_NUMBER');
  });

  it('writes no reason for a clean row', () => {
    expect(cell(sample, 'invalid_readings')).toBeNull();
  });
});
