import type { RangeSeries } from '@kcloud/prometheus';
import { joinGpuSeries, powerRows } from './gpu-series-join';
import { EXPORTED, PLAIN } from '../gpu-snapshot/tenant-labels';
import { firstN } from '../testing/first-n';

const T = 1_735_689_600_000;
const pts = (...values: [number, number][]) =>
  values.map(([dt, value]) => ({ timestampMs: T + dt * 1000, value }));
const base = { gpu: '0', UUID: 'GPU-a', modelName: 'NVIDIA H100 80GB HBM3', Hostname: 'n1' };
const exporterPod = /dcgm-exporter/;

describe('joinGpuSeries', () => {
  it('joins identity and values per step, the newest series naming the tenant after a change of pod', () => {
    const identity: RangeSeries[] = [
      // The old pod's series is still inside the lookback at step 120 but its sample is older.
      {
        labels: { ...base, exported_namespace: 'old', exported_pod: 'p-old' },
        points: pts([0, T / 1000], [60, T / 1000 + 60], [120, T / 1000 + 61]),
      },
      {
        labels: { ...base, exported_namespace: 'new', exported_pod: 'p-new' },
        points: pts([120, T / 1000 + 119]),
      },
    ];
    const values: RangeSeries[] = [
      {
        labels: { kcloud_metric: 'DCGM_FI_DEV_POWER_USAGE', UUID: 'GPU-a' },
        points: pts([0, 100], [60, 110], [120, 120]),
      },
      {
        labels: { kcloud_metric: 'DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION', UUID: 'GPU-a' },
        points: pts([60, 5000]),
      },
      { labels: { kcloud_metric: 'DCGM_FI_DEV_GPU_UTIL', UUID: 'GPU-a' }, points: pts([0, NaN]) },
    ];
    const points = joinGpuSeries('east', identity, values, EXPORTED, exporterPod);
    expect(
      points.map((p) => [
        (p.timestamp.getTime() - T) / 1000,
        p.namespace,
        p.pod,
        p.powerWatts,
        p.energyJoules,
        p.utilizationPercent,
      ]),
    ).toEqual([
      [0, 'old', 'p-old', 100, undefined, undefined],
      [60, 'old', 'p-old', 110, 5, undefined],
      [120, 'new', 'p-new', 120, undefined, undefined],
    ]);
    expect(firstN(points, 3)[2].observedAt).toEqual(new Date(T + 119_000));
    expect(points.every((p) => p.cluster === 'east' && p.node === 'n1' && p.uuid === 'GPU-a')).toBe(true);
  });

  it('keeps MIG instances apart at the same step', () => {
    const identity: RangeSeries[] = [
      { labels: { ...base, GPU_I_ID: '1', GPU_I_PROFILE: '3g.40gb' }, points: pts([0, 1]) },
      { labels: { ...base, GPU_I_ID: '2', GPU_I_PROFILE: '1g.10gb' }, points: pts([0, 1]) },
    ];
    const values: RangeSeries[] = [
      {
        labels: { kcloud_metric: 'DCGM_FI_DEV_FB_USED', UUID: 'GPU-a', GPU_I_ID: '2' },
        points: pts([0, 42]),
      },
    ];
    const points = joinGpuSeries('east', identity, values, PLAIN, exporterPod);
    expect(points.map((p) => [p.migInstanceId, p.memoryUsedMiB])).toEqual([
      ['1', undefined],
      ['2', 42],
    ]);
  });
});

describe('powerRows', () => {
  it('reads node, tenant and UUID from the raw labels, never the exporter pod as a tenant', () => {
    const series: RangeSeries[] = [
      {
        labels: { ...base, namespace: 'gpu-operator', pod: 'nvidia-dcgm-exporter-x' },
        points: pts([0, 70], [60, 71]),
      },
      {
        labels: { ...base, UUID: 'GPU-b', hostname: 'n2', Hostname: '', namespace: 'ml', pod: 'job-0' },
        points: pts([0, 300]),
      },
    ];
    expect(powerRows('east', series, PLAIN, exporterPod)).toEqual([
      {
        timestampMs: T,
        cluster: 'east',
        node: 'n1',
        uuid: 'GPU-a',
        namespace: undefined,
        pod: undefined,
        model: base.modelName,
        powerWatts: 70,
      },
      {
        timestampMs: T + 60_000,
        cluster: 'east',
        node: 'n1',
        uuid: 'GPU-a',
        namespace: undefined,
        pod: undefined,
        model: base.modelName,
        powerWatts: 71,
      },
      {
        timestampMs: T,
        cluster: 'east',
        node: 'n2',
        uuid: 'GPU-b',
        namespace: 'ml',
        pod: 'job-0',
        model: base.modelName,
        powerWatts: 300,
      },
    ]);
  });

  it('turns a refused power reading into NaN, which the aggregation leaves out', () => {
    const series: RangeSeries[] = [
      { labels: base, points: pts([0, 140737488355328], [60, 4294967295], [120, 70]) },
    ];
    expect(powerRows('east', series, PLAIN, exporterPod).map((r) => r.powerWatts)).toEqual([NaN, NaN, 70]);
  });
});

describe('joinGpuSeries with blanks', () => {
  it('leaves a blank step of a family absent and says why, the other steps intact', () => {
    const identity: RangeSeries[] = [{ labels: base, points: pts([0, T / 1000], [60, T / 1000 + 60]) }];
    const values: RangeSeries[] = [
      {
        labels: { kcloud_metric: 'DCGM_FI_DEV_GPU_TEMP', UUID: 'GPU-a' },
        points: pts([0, 2147483632], [60, 41]),
      },
    ];
    const points = joinGpuSeries('east', identity, values, PLAIN, exporterPod);
    expect(points.map((p) => [p.temperatureCelsius, p.invalidReadings])).toEqual([
      [undefined, [{ field: 'temperatureCelsius', reason: 'DCGM_BLANK' }]],
      [41, undefined],
    ]);
  });
});
