import { PLAIN } from '../gpu-snapshot/tenant-labels';
import { joinNpuSeries } from './npu-series-join';

const GUARD = /(furiosa|rbln)-metrics-exporter/;
const card = { arch: 'rngd', core: '0-7', device: 'npu0', uuid: 'F-1', hostname: 'n1', label: 'rms' };
const T0 = 1_700_000_000_000;
const T1 = T0 + 15_000;
const T2 = T0 + 30_000;

describe('joinNpuSeries', () => {
  it('joins identity and values per step, the tenant being the pod whose series was sampled last at that step', () => {
    // The card moves from llm-0 to llm-1 between T0 and T1; the old series stays in the lookback until T2.
    const identity = [
      {
        labels: { ...card, namespace: 'a', pod: 'llm-0' },
        points: [T0, T1, T2].map((t) => ({ timestampMs: t, value: T0 / 1000 })),
      },
      {
        labels: { ...card, namespace: 'b', pod: 'llm-1' },
        points: [T1, T2].map((t) => ({ timestampMs: t, value: t / 1000 })),
      },
    ];
    const values = [
      {
        labels: { kcloud_metric: 'furiosa_npu_hw_power', uuid: 'F-1', label: 'rms' },
        points: [
          { timestampMs: T0, value: 40 },
          { timestampMs: T1, value: 55 },
        ],
      },
    ];
    const points = joinNpuSeries('c1', identity, values, PLAIN, GUARD);
    expect(points.map((p) => [p.timestamp.getTime(), p.namespace, p.pod, p.powerWatts])).toEqual([
      [T0, 'a', 'llm-0', 40],
      [T1, 'b', 'llm-1', 55],
      // No power sample at T2: the card is there, the reading is not.
      [T2, 'b', 'llm-1', undefined],
    ]);
  });

  it('gives nothing at a step without an identity sample, even if values exist', () => {
    const values = [
      {
        labels: { kcloud_metric: 'furiosa_npu_hw_power', uuid: 'F-1', label: 'rms' },
        points: [{ timestampMs: T0, value: 1 }],
      },
    ];
    expect(joinNpuSeries('c1', [], values, PLAIN, GUARD)).toEqual([]);
  });
});
