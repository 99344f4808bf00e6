import { Gauge, Registry } from 'prom-client';
import {
  ACTIVITY_STATE_GAUGE,
  ACTIVITY_STATE_HELP,
  ActivityMetrics,
  activityLabels,
} from '../activity/activity-metrics';
import { GpuActivityState } from '../activity/activity-state';
import { UNRESTRICTED } from '@kcloud/common';
import { rowsInScope, type ScoreRecord, type ScoreRow } from '../scoring/records';
import { testRecord } from '../scoring/testing/score-records';
import { gpuLabels, PER_GPU_VALUES, ScoreMetricsExporter } from './score-metrics.exporter';
import { GPU_LABELS, PER_GPU_GAUGES, PER_GPU_HELP } from './score-metrics.providers';

/** The exposition as the per-GPU gauges wrote it before: prom-client label maps filled row by row on scrape. */
async function labelMapExposition(rows: readonly ScoreRow[]): Promise<string> {
  const registry = new Registry();
  for (const [name, value] of PER_GPU_VALUES) {
    const gauge = new Gauge({
      name,
      help: PER_GPU_HELP[name],
      labelNames: [...GPU_LABELS],
      registers: [registry],
    });
    for (const r of rows) {
      const v = value(r);
      if (v !== undefined) gauge.set(gpuLabels(r), v);
    }
  }
  const activity = new Gauge({
    name: ACTIVITY_STATE_GAUGE,
    help: ACTIVITY_STATE_HELP,
    labelNames: ['gpu_id', 'cluster', 'hostname', 'namespace', 'pod', 'state'],
    registers: [registry],
  });
  for (const r of rows) activity.set(activityLabels(r, r), 1);
  return registry.metrics();
}

/** The exporter as the app wires it, writing its per-GPU series to `registry`. */
function exporterIn(registry: Registry): ScoreMetricsExporter {
  const fleet = new Registry();
  const g = (name: string, labelNames: string[] = []) =>
    new Gauge({ name, help: name, labelNames, registers: [fleet] });
  const exporter = new ScoreMetricsExporter(
    g('t'),
    g('l'),
    g('i'),
    g('a'),
    g('s', ['status']),
    g('nc', ['namespace']),
    g('na', ['namespace']),
    registry,
  );
  new ActivityMetrics(exporter, registry);
  return exporter;
}

/** Records with what escaping and de-duplication must get right: quotes, backslashes, newlines, shared GPUs. */
function awkwardRecords(): ScoreRecord[] {
  const inputs = { utilizationPercent: 12.345678901234, memoryCopyUtilizationPercent: 0 };
  return [
    {
      ...testRecord('GPU-a', 'low', 21.5, [{ namespace: 'ml "prod"', pod: 'p\\1\nx', container: 'c' }]),
      inputs,
      memoryUsedMiB: 1024.5,
      powerWatts: 0.1 + 0.2,
      smClockMHz: 1410,
      activity: { state: GpuActivityState.IDLE_HELD, since: new Date(0) } as never,
    },
    // Unknown: no score, no inputs; not allocated.
    { ...testRecord('GPU-b', 'unknown', undefined, [], { node: 'nödé-β' }), reason: 'stale' },
    // Time-sliced: three holders, two of them containers of the same pod (one series for those two).
    {
      ...testRecord('GPU-c', 'high', 97, [
        { namespace: 'a', pod: 'shared', container: 'c1' },
        { namespace: 'a', pod: 'shared', container: 'c2' },
        { namespace: 'b', pod: 'other', container: 'c1' },
      ]),
      inputs: { utilizationPercent: 97 },
      powerWatts: 1e21,
      memoryUsedMiB: -0,
    },
    // A MIG instance of a GPU whose key carries the instance.
    {
      ...testRecord('GPU-d', 'idle', 0, [{ namespace: 'x', pod: 'y', container: 'z' }], {
        migProfile: '1g.10gb',
        migInstanceId: '3',
        cluster: 'west\\1',
      }),
      smClockMHz: 210,
    },
  ];
}

describe('per-GPU series written at scrape time (RowSeriesGauge)', () => {
  it('expose exactly what the prom-client label maps exposed for the same rows', async () => {
    const registry = new Registry();
    const exporter = exporterIn(registry);
    exporter.update(awkwardRecords());
    const rows = rowsInScope(exporter.exported().records, UNRESTRICTED);
    expect(rows.length).toBe(6);
    const expected = await labelMapExposition(rows);
    expect(await registry.metrics()).toBe(expected);
    // The shared pod's two containers give one series per gauge, as a label map keeps one.
    expect(expected.match(/gpu_utilization_score\{gpu_id="GPU-c"/g)).toHaveLength(2);
    expect(expected).toContain('pod="p\\\\1\\nx",namespace="ml \\"prod\\""');
  });

  it('follow the results: a new set replaces every series, an empty one leaves only HELP and TYPE', async () => {
    const registry = new Registry();
    const exporter = exporterIn(registry);
    exporter.update(awkwardRecords());
    exporter.update([testRecord('GPU-z', 'normal', 55)]);
    const text = await registry.metrics();
    expect(text).toBe(await labelMapExposition(rowsInScope(exporter.exported().records, UNRESTRICTED)));
    expect(text).not.toContain('GPU-a');
    exporter.clear();
    expect(await registry.metrics()).toBe(await labelMapExposition([]));
  });

  it('answer get() like a prom-client gauge and keep nothing per series between scrapes', async () => {
    const registry = new Registry();
    const exporter = exporterIn(registry);
    exporter.update(awkwardRecords());
    const score = await registry.getSingleMetric(PER_GPU_GAUGES.score)!.get();
    expect(score).toMatchObject({ name: 'gpu_utilization_score', type: 'gauge', aggregator: 'sum' });
    expect(score.values.map((v) => [v.labels.gpu_id, v.labels.pod, v.value])).toEqual([
      ['GPU-a', 'p\\1\nx', 21.5],
      ['GPU-c', 'shared', 97],
      ['GPU-c', 'other', 97],
      ['GPU-d/3', 'y', 0],
    ]);
    // A second app in the same process replaces the first one's series (the live app is the one scraped).
    const second = exporterIn(registry);
    second.update([testRecord('GPU-q', 'idle', 1)]);
    expect((await registry.getSingleMetric(PER_GPU_GAUGES.score)!.get()).values).toHaveLength(1);
  });
});
