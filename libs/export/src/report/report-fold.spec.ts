import type { GpuSeriesPoint } from '@kcloud/metrics-source';
import { analyzerIdleClassifier, idleDefinition } from './idle-rule';
import { reportDocument } from './report-document';
import { ReportFold } from './report-fold';
import { point, SCORING, T } from './testing/report-points';

const isIdle = analyzerIdleClassifier(SCORING);

describe('ReportFold', () => {
  // Two steps of 60 s: A busy then idle, B idle throughout, M a MIG board on two instances (one busy, one idle).
  const step = (t: number, a: { utilizationPercent: number; powerWatts: number }): GpuSeriesPoint[] => [
    point(t, { uuid: 'A', namespace: 'ml', ...a }),
    point(t, { uuid: 'B', utilizationPercent: 0, powerWatts: 60 }),
    point(t, { uuid: 'M', migInstanceId: '1', namespace: 'inf', grEngineActiveRatio: 0.8, powerWatts: 200 }),
    point(t, { uuid: 'M', migInstanceId: '2', grEngineActiveRatio: 0, powerWatts: 200 }),
  ];
  const batches: GpuSeriesPoint[][] = [
    step(0, { utilizationPercent: 90, powerWatts: 600 }),
    step(60, { utilizationPercent: 5, powerWatts: 100 }),
  ];

  it('counts energy over the range by the trapezoid rule, boards once, idle time and energy per device, power per namespace', () => {
    const fold = new ReportFold(60, isIdle);
    for (const b of batches) fold.add(b);
    const r = fold.result();
    expect(r.steps).toBe(2);
    // (600 + 60 + 200) W then (100 + 60 + 200) W: two end points of a 60 s range, half a step each.
    expect(r.energyJoules).toBe(((860 + 360) / 2) * 60);
    expect(r.averagePowerWatts).toBe(610);
    expect(r.idleGpus.map((g) => [g.id, g.idleSeconds, g.wastedEnergyJoules])).toEqual([
      ['M/2', 60, 100 * 60],
      ['B', 60, 60 * 60],
      ['A', 30, 100 * 30],
    ]);
    expect(r.idleGpuSeconds).toBe(150);
    expect(
      r.namespaces.map((n) => [
        n.namespace,
        n.gpuCount,
        n.averagePowerWatts,
        n.peakPowerWatts,
        n.energyJoules,
      ]),
    ).toEqual([
      ['ml', 1, 350, 600, 350 * 60],
      [undefined, 2, 160, 160, 160 * 60],
      ['inf', 1, 100, 100, 100 * 60],
    ]);
  });

  it('renders the four report sections with units and a note when no analysis has completed', () => {
    const fold = new ReportFold(60, isIdle);
    for (const b of batches) fold.add(b);
    const doc = reportDocument({
      from: new Date(T),
      to: new Date(T + 60_000),
      stepSeconds: 60,
      current: batches[1]!.map((p) => ({ ...p })),
      totals: fold.result(),
      scores: [],
      scoring: SCORING,
    });
    expect(doc.sections.map((s) => s.name)).toEqual([
      'summary',
      'score_distribution',
      'top_idle_gpus',
      'power_by_namespace',
    ]);
    const summary = new Map(doc.sections[0]!.rows.map((r) => [r[0], [r[1], r[2]]]));
    expect(summary.get('physical_gpus')).toEqual([3, 'count']);
    expect(summary.get('gpu_devices')).toEqual([4, 'count (GPUs and MIG instances)']);
    expect(summary.get('power_now')).toEqual([360, 'watts']);
    expect(doc.sections[1]!.rows).toEqual([]);
    expect(doc.sections[1]!.note).toMatch(/not completed an analysis/);
    expect(doc.sections[2]!.rows[0]!.slice(0, 2)).toEqual([1, 'M/2']);
    expect(doc.sections[3]!.rows.map((r) => r[1])).toEqual(['ml', '(unallocated)', 'inf']);
  });

  it("judges idle by the analyzer's rule: 5 % utilisation holding memory is LOW, no activity is IDLE whatever it holds", () => {
    const held = { memoryUsedMiB: 57_000, memoryFreeMiB: 24_559, powerWatts: 120 };
    const fold = new ReportFold(60, isIdle);
    fold.add([
      // The old report rule (utilisation < 10 %) called this idle; the analyzer scores it LOW (~17).
      point(0, { uuid: 'C', utilizationPercent: 5, ...held }),
      // Below ANALYZER_IDLE_ACTIVITY_PERCENT on both activity signals: IDLE though its score is LOW.
      point(0, { uuid: 'D', utilizationPercent: 0.5, ...held }),
      // Bad data is unknown, never idle.
      point(0, { uuid: 'E', utilizationPercent: Number.NaN, powerWatts: 50 }),
    ]);
    expect(fold.result().idleGpus.map((g) => g.id)).toEqual(['D']);
  });

  it('counts GPUs idle for most of the range with their whole energy, idle time per namespace and power per cluster', () => {
    const fold = new ReportFold(60, isIdle);
    for (const b of batches) fold.add(b);
    const r = fold.result();
    expect(r.deviceCount).toBe(4);
    // B and M/2 are idle at both steps; A at one of two is not "most".
    expect(r.mostlyIdle).toEqual({ count: 2, energyJoules: (60 + 100) * 60 });
    const byNs = new Map(r.namespaces.map((n) => [n.namespace, [n.idleSeconds, n.idleEnergyJoules]]));
    expect(byNs.get('ml')).toEqual([30, 100 * 30]);
    expect(byNs.get(undefined)).toEqual([120, (60 + 100) * 60]);
    expect(r.clusterPower).toEqual([
      { timestampMs: T, cluster: 'east', powerWatts: 860 },
      { timestampMs: T + 60_000, cluster: 'east', powerWatts: 360 },
    ]);
  });

  it('states the definition of idle with the thresholds and the idle-activity rule in force', () => {
    const text = idleDefinition({
      ...SCORING,
      thresholds: { idle: 12, low: 25, high: 80 },
      idleActivityPercent: 2,
    });
    expect(text).toContain("the analyzer's IDLE status");
    expect(text).toContain('IDLE below 12');
    expect(text).toContain('LOW below 25');
    expect(text).toContain('below 2 %');
    expect(text).toContain('ANALYZER_IDLE_ACTIVITY_PERCENT');
    expect(idleDefinition({ ...SCORING, idleActivityPercent: 0 })).not.toContain(
      'ANALYZER_IDLE_ACTIVITY_PERCENT',
    );
  });

  it('lets n points every s seconds stand for the (n − 1) × s seconds of the range, and one point for one step', () => {
    const fold = new ReportFold(120, isIdle);
    for (let i = 0; i <= 720; i++)
      fold.add([point(i * 120, { uuid: 'B', utilizationPercent: 0, powerWatts: 100 })]);
    const r = fold.result();
    expect(r.steps).toBe(721);
    expect(r.idleGpus[0]!.idleSeconds).toBe(86_400);
    expect(r.energyJoules).toBe(100 * 86_400);
    expect(r.averagePowerWatts).toBe(100);

    const single = new ReportFold(120, isIdle);
    single.add([point(0, { uuid: 'B', utilizationPercent: 0, powerWatts: 100 })]);
    expect(single.result()).toMatchObject({
      energyJoules: 100 * 120,
      averagePowerWatts: 100,
      idleGpuSeconds: 120,
    });
  });

  it('halves only the points at the range end: a GPU gone before the end keeps its last point whole', () => {
    const fold = new ReportFold(60, isIdle);
    fold.add([
      point(0, { uuid: 'A', utilizationPercent: 0, powerWatts: 60 }),
      point(0, { uuid: 'B', utilizationPercent: 0, powerWatts: 60 }),
    ]);
    fold.add([
      point(60, { uuid: 'A', utilizationPercent: 0, powerWatts: 60 }),
      point(60, { uuid: 'B', utilizationPercent: 0, powerWatts: 60 }),
    ]);
    fold.add([point(120, { uuid: 'A', utilizationPercent: 0, powerWatts: 60 })]);
    const byId = new Map(fold.result().idleGpus.map((g) => [g.id, g.idleSeconds]));
    expect(byId.get('A')).toBe(120);
    expect(byId.get('B')).toBe(90);
  });
});
