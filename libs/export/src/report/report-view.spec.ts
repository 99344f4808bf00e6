import { PassThrough } from 'node:stream';
import * as ExcelJS from 'exceljs';
import { readPdfText } from '../../../../test/harness/export-readers';
import type { ScoreRow } from '../datasets/score-rows.provider';
import { unifiedClusterSteps } from '../datasets/unified-power';
import { PdfWriter } from '../formats/pdf.writer';
import { XlsxWriter } from '../formats/xlsx.writer';
import { analyzerIdleClassifier } from './idle-rule';
import { reportDocument } from './report-document';
import { ReportFold } from './report-fold';
import type { ReportInput } from './report-input';
import { humanCellText } from './report-pdf';
import { reportSentences } from './report-sentences';
import { point, SCORING, T } from './testing/report-points';

const score = (gpuId: string, status: string): ScoreRow => ({
  gpuId,
  cluster: 'east',
  node: 'n1',
  model: 'H100',
  status,
  statusSince: new Date(T),
  computedAt: new Date(T),
});

/** A day at one point per hour (25 points): A busy at 600 W, B idle at 60 W, C idle at 40 W for 3 points, then 500 W. */
function input(): ReportInput {
  const fold = new ReportFold(3600, analyzerIdleClassifier(SCORING));
  for (let h = 0; h <= 24; h++)
    fold.add([
      point(h * 3600, { uuid: 'A', namespace: 'ml', utilizationPercent: 90, powerWatts: 600 }),
      point(h * 3600, { uuid: 'B', namespace: 'research', utilizationPercent: 0, powerWatts: 60 }),
      point(h * 3600, {
        uuid: 'C',
        namespace: 'ml',
        utilizationPercent: h < 3 ? 0 : 80,
        powerWatts: h < 3 ? 40 : 500,
      }),
    ]);
  return {
    from: new Date(T),
    to: new Date(T + 86_400_000),
    stepSeconds: 3600,
    current: [
      point(0, { uuid: 'A', namespace: 'ml', powerWatts: 600 }),
      point(0, { uuid: 'B', namespace: 'research', powerWatts: 60 }),
      point(0, { uuid: 'C', namespace: 'ml', powerWatts: 500 }),
    ],
    totals: fold.result(),
    scores: [score('A', 'high'), score('B', 'idle'), score('C', 'high')],
    analysedAt: new Date(T + 86_400_000),
    scoring: SCORING,
  };
}

describe('the report for people', () => {
  it('says what happened in sentences made from the figures', () => {
    const text = reportSentences(input()).join(' ');
    // Trapezoid over 24 h: A 14,400 Wh, B 1,440 Wh, C 40/2 + 2 × 40 + 21 × 500 + 500/2 = 10,850 Wh.
    expect(text).toContain(
      '1 cluster with 3 physical GPUs used 26.7 kWh on GPU boards, 1.11 kW on average; they draw 1.16 kW now.',
    );
    expect(text).toContain('1 of 3 GPUs was idle for most of the day; they used 1.44 kWh.');
    // Idle: B 24 h at 60 W, C 2.5 h (its first point counts half) at 40 W.
    expect(text).toContain(
      'Idle time added up to 26.5 h of GPU time and 1.54 kWh (5.8 % of the GPU energy).',
    );
    expect(text).toContain(
      'The namespace research on east left the most energy idle: 1.44 kWh over 24.0 h of GPU time.',
    );
    expect(text).toContain("The analyzer's latest judgement (2025-01-02 00:00 UTC): 1 IDLE, 2 HIGH.");
  });

  it('says there is no judgement yet before the first analysis, and draws no status chart', () => {
    const i = { ...input(), analysedAt: undefined, scores: [] };
    expect(reportSentences(i).join(' ')).toContain('has not completed an analysis');
    expect(reportDocument(i).view.charts.map((c) => c.spec.id)).toEqual([
      'fleet_power',
      'idle_by_namespace',
      'top_wasters',
    ]);
  });

  it('keeps machine units in the JSON sections and human units in the view', () => {
    const doc = reportDocument(input());
    const energy = doc.sections[0]!.rows.find((r) => r[0] === 'energy')!;
    expect(energy.slice(1)).toEqual([96_084_000, 'joules']);
    const human = doc.view.tables[0]!.rows.find((r) => r[0] === 'GPU energy')!;
    expect(human[1]).toBeCloseTo(26.69, 9);
    expect(human[2]).toBe('kWh');
    expect(doc.view.tables.flatMap((t) => t.columns.map((c) => c.title))).not.toContainEqual(
      expect.stringMatching(/_/),
    );
    expect(doc.view.subtitle).toBe('2025-01-01 00:00 UTC – 2025-01-02 00:00 UTC · one point every 1 h');
  });

  it('formats PDF cells per column: thousands separators, fixed decimals, missing as a dash', () => {
    expect(humanCellText(12345.678, { title: 'Energy (kWh)', kind: 'fixed', digits: 2 })).toBe('12,345.68');
    expect(humanCellText(26, { title: 'Value', kind: 'auto' })).toBe('26');
    expect(humanCellText(5.4321, { title: 'Value', kind: 'auto' })).toBe('5.43');
    expect(humanCellText(null, { title: 'Pod', kind: 'text' })).toBe('–');
    expect(humanCellText(1500, { title: 'GPUs', kind: 'count' })).toBe('1,500');
  });

  it('writes an xlsx with one sheet per section and chart data, frozen headers, widths and number formats', async () => {
    const sink = new PassThrough();
    const chunks: Buffer[] = [];
    sink.on('data', (c: Buffer) => chunks.push(c));
    await new XlsxWriter().writeDocument(reportDocument(input()), sink, new AbortController().signal);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((s) => s.name)).toEqual([
      'Summary',
      'Score distribution',
      'Top idle GPUs',
      'Power by namespace',
      'Chart data',
    ]);
    for (const sheet of workbook.worksheets) {
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(sheet.getRow(1).font?.bold).toBe(true);
    }
    const ns = workbook.getWorksheet('Power by namespace')!;
    expect(ns.getRow(1).values).toEqual([
      undefined,
      'Cluster',
      'Namespace',
      'GPUs',
      'Average power (kW)',
      'Peak power (kW)',
      'Energy (kWh)',
      'Idle GPU time (h)',
      'Idle energy (kWh)',
    ]);
    expect(ns.getCell('F2').numFmt).toBe('#,##0.00');
    expect(ns.getColumn(4).width).toBeGreaterThanOrEqual('Average power (kW)'.length);
    const summary = workbook.getWorksheet('Summary')!;
    const energyRow = summary.getColumn(1).values.indexOf('GPU energy');
    expect(summary.getCell(energyRow, 2).numFmt).toBe('#,##0.00');
    const clustersRow = summary.getColumn(1).values.indexOf('Clusters');
    expect(summary.getCell(clustersRow, 2).numFmt).toBe('#,##0');
    const chartData = workbook.getWorksheet('Chart data')!;
    expect(chartData.getRow(1).values).toEqual([
      undefined,
      'Chart',
      'Series',
      'Category',
      'Time (UTC)',
      'Value',
      'Unit',
    ]);
    expect(chartData.rowCount).toBeGreaterThan(24);
  });

  it('writes a PDF whose first page holds the sentences and whose charts are vector text, not pictures', async () => {
    const sink = new PassThrough();
    const chunks: Buffer[] = [];
    sink.on('data', (c: Buffer) => chunks.push(c));
    await new PdfWriter(1000).writeDocument(reportDocument(input()), sink, new AbortController().signal);
    const { text } = await readPdfText(Buffer.concat(chunks));
    const first = (text.split('\f')[0] ?? '').replace(/\s+/g, ' ');
    expect(first).toContain('1 of 3 GPUs was idle for most of the day');
    expect(first).toContain('What idle means here');
    // Chart titles and axis labels are text inside the SVG: extractable, so drawn as vectors.
    expect(text).toContain('GPU power per cluster (kW)');
    expect(text).toContain('Top wasters');
  });
});

describe('PUE and energy in the report', () => {
  const withPower = (): ReportInput => ({
    ...input(),
    unified: unifiedClusterSteps(
      [
        {
          cluster: 'east',
          node: 'n1',
          components: {
            serverInputWatts: [0, 1].map((i) => ({ timestampMs: T + i * 3_600_000, value: 2000 })),
          },
        },
      ],
      [
        {
          cluster: 'east',
          points: [0, 1].map((i) => ({ timestampMs: T + i * 3_600_000, value: 2600 + 200 * i })),
        },
      ],
      { description: 'meter' },
    ),
    energy: {
      byCluster: [{ key: 'east', watts: 7_200_000 }],
      byNamespace: [{ key: 'ml', watts: 1_800_000 }],
    },
  });

  it('charts PUE over time per cluster and tabulates it, with energy per cluster and namespace in kWh for people', () => {
    const doc = reportDocument(withPower());
    const chart = doc.view.charts.find((c) => c.spec.id === 'pue');
    expect(chart?.data.map((r) => [r[1], r[4], r[5]])).toEqual([
      ['east', 1.3, 'PUE'],
      ['east', 1.4, 'PUE'],
    ]);
    const tables = new Map(doc.view.tables.map((t) => [t.name, t]));
    expect(tables.get('energy_by_cluster')!.rows).toEqual([['east', 2]]);
    expect(tables.get('energy_by_namespace')!.rows).toEqual([['ml', 0.5]]);
    expect(tables.get('pue_by_cluster')!.rows[0]!.slice(0, 4)).toEqual(['east', 'MEASURED', 2, 1.35]);
    // Machine units in the JSON sections.
    const sections = new Map(doc.sections.map((s) => [s.name, s]));
    expect(sections.get('energy_by_cluster')!.rows).toEqual([['east', 7_200_000]]);
    expect(sections.get('pue_by_cluster')!.columns.map((c) => c.name)).toContain(
      'average_facility_power_watts',
    );
  });

  it('leaves PUE and energy out when the key may not see them (no unified view, no energy read)', () => {
    const doc = reportDocument(input());
    expect(doc.view.charts.map((c) => c.spec.id)).not.toContain('pue');
    expect(doc.sections.map((s) => s.name)).not.toEqual(expect.arrayContaining(['pue_by_cluster']));
  });
});
