import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { AnalysisCycle } from '@kcloud/analyzer';
import { loadConfig } from '@kcloud/common';
import { createApp } from '../apps/api/src/bootstrap';
import { apiKeysEnv } from './harness/api-keys';
import { HEADERS } from './harness/auth-fixture';
import { readPdfText, readXlsx, reportSection } from './harness/export-readers';
import { gql } from './harness/graphql-client';
import { foreignTokensIn } from './harness/leaks';
import { findPhrase, grayPages, imageCount, inkShare, pngPages, words } from './harness/pdf-pages';
import { pollUntil } from './harness/poll';
import { defined } from './harness/indexed';
import { useAuthStack } from './harness/use-stack';

const ADMIN_KEY = 'report-e2e-admin-key-0123456789';
const CHART_TITLES = [
  'GPUs by analyzer status (now)',
  'GPU power per cluster (kW)',
  'Idle GPU-hours and idle energy by namespace',
  'Top wasters: energy used while idle (kWh)',
  'PUE over time',
] as const;
/** The smallest report chart, pt (charts are drawn 520 pt wide, at least 220 pt high). */
const CHART_BOX = { width: 520, height: 215 };
const LEFT_MARGIN_PT = 28;
/** Time this suite's real-stack part needs (stack start, 10 s range, queries), with room to spare. */
const HOUR_MARGIN_MS = 120_000;
const oneLine = (text: string): string => text.replace(/\s+/g, ' ');

describe('the report PDF of the simulated demo fleet', () => {
  let app: INestApplication;
  let pdf: Buffer;

  beforeAll(async () => {
    app = await createApp(
      loadConfig({
        PORT: '0',
        LOG_LEVEL: 'warn',
        ANALYZER_ENABLED: 'false',
        RATE_LIMIT_PER_MINUTE: '100000',
        API_KEYS: apiKeysEnv([{ name: 'admin', secret: ADMIN_KEY, role: 'admin' }]),
      }),
    );
    await app.listen(0, '127.0.0.1');
    const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    await app.get(AnalysisCycle).run('manual');
    const res = await fetch(`${url}/api/v1/export/report?format=pdf&period=24h`, {
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
    });
    expect(res.status).toBe(200);
    pdf = Buffer.from(await res.arrayBuffer());
    // `REPORT_SCREENSHOTS=1` refreshes the README's pictures of the first two pages.
    if (process.env.REPORT_SCREENSHOTS === '1')
      await pngPages(pdf, join(__dirname, '..', 'docs', 'report-page'), 1, 2);
  });
  afterAll(async () => app?.close());

  it('draws at least four charts as vector graphics whose areas are not blank', async () => {
    expect(await imageCount(pdf)).toBe(0);
    const [all, pages] = await Promise.all([words(pdf), grayPages(pdf, 50)]);
    for (const title of CHART_TITLES) {
      const at = findPhrase(all, title);
      expect({ title, found: !!at }).toEqual({ title, found: true });
      const page = defined(pages[at!.page - 1], `page ${at!.page} of the PDF`);
      // Below the chart's own title: bars, lines, axes and labels.
      const box = {
        x: LEFT_MARGIN_PT,
        y: at!.yMax + 4,
        width: CHART_BOX.width,
        height: CHART_BOX.height - (at!.yMax - at!.yMin) - 8,
      };
      expect({ title, ink: inkShare(page, box) > 0.03 }).toEqual({ title, ink: true });
    }
  });

  it('finds no ink where nothing is drawn, the right margin of every page (the pixel check can fail)', async () => {
    const pages = await grayPages(pdf, 50);
    // The right page margin (pdfmake's 28 pt) holds nothing on any page, however full the pages are (the report's
    // sections grow with the product; the last page's foot was blank only while the report was shorter).
    const rightMargin = {
      x: 595 - LEFT_MARGIN_PT + 3,
      y: 40,
      width: LEFT_MARGIN_PT - 6,
      height: 842 - 40 - 50,
    };
    for (const page of pages) expect(inkShare(page, rightMargin)).toBeLessThan(0.01);
  });

  it('opens with sentences made from the numbers, in kWh, and the definition of idle with its thresholds', async () => {
    const { text } = await readPdfText(pdf);
    const flat = oneLine(text);
    expect(flat).toMatch(/\d+ of \d+ GPUs were idle for most of the day; they used [\d,.]+ kWh\./);
    expect(flat).toMatch(/used [\d,.]+ (kWh|MWh) on GPU boards, [\d,.]+ kW on average/);
    expect(flat).toContain("Idle means the analyzer's IDLE status");
    expect(flat).toMatch(/IDLE below 10, LOW below 20, NORMAL below 70/);
    expect(flat).toContain('ANALYZER_IDLE_ACTIVITY_PERCENT');
    expect(flat).not.toMatch(/utilisation below 10 %/);
    expect(flat).toContain('Energy (kWh)');
    for (const table of ['PUE by cluster', 'Energy by cluster', 'Energy by namespace'])
      expect({ table, found: flat.includes(table) }).toEqual({ table, found: true });
    expect(flat).not.toMatch(/joules|wasted_energy/);
    // Sentences, then charts, then tables.
    const order = ['In brief', CHART_TITLES[0], 'Summary', 'Power by namespace'].map((s) => flat.indexOf(s));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(order.every((i) => i >= 0)).toBe(true);
  });
});

interface ReportJson {
  readonly sections: Record<string, { rows: Record<string, unknown>[]; note?: string }>;
}
interface GpuNode {
  readonly uuid: string;
  readonly cluster: string;
  readonly namespace: string | null;
  readonly powerWatts: number | null;
}

describe('the report through a real Prometheus scraping the fleet simulator', () => {
  let range: string;
  const get = async (path: string, headers: Record<string, string>): Promise<Buffer> => {
    const res = await fetch(`${stack.url}${path}`, { headers });
    if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
    return Buffer.from(await res.arrayBuffer());
  };

  beforeAll(async () => {
    // The simulator changes values at whole hours (hour-long ticks): scrapes, range and analysis window must all lie
    // within one tick for the comparison with "now" to hold, so a start just before the hour waits for it.
    const hourEnd = Math.ceil(Date.now() / 3_600_000) * 3_600_000;
    if (hourEnd - Date.now() < HOUR_MARGIN_MS)
      await pollUntil(
        'the next simulator tick',
        async () => (Date.now() > hourEnd + 1000 ? true : undefined),
        {
          timeoutMs: HOUR_MARGIN_MS + 5000,
        },
      );
  }, HOUR_MARGIN_MS + 10_000);
  const auth = useAuthStack();
  const { stack } = auth;

  beforeAll(async () => {
    // Every step of the range lies after the first scrapes (startStack waits for them); values are constant (hour ticks).
    const from = Math.floor(Date.now() / 1000);
    const to = from + 10;
    await pollUntil(
      'the range to be in the past',
      async () => (Date.now() / 1000 > to + 2 ? true : undefined),
      { timeoutMs: 30_000 },
    );
    range = `from=${from}&to=${to}&step=1`;
    await stack.app.get(AnalysisCycle).run('manual');
  }, 120_000);

  it('states every figure as GraphQL states it for the same range: statuses, idle GPUs, devices, power and energy', async () => {
    const admin = HEADERS.admin;
    const report = JSON.parse(
      (await get(`/api/v1/export/report?format=json&${range}`, admin)).toString('utf8'),
    ) as ReportJson;
    const scores = await gql<{ gpuScores: { edges: { node: { gpuId: string; status: string } }[] } }>(
      stack.url,
      '{ gpuScores(first: 1000) { edges { node { gpuId status } } } }',
      {},
      admin,
    );
    const gpus = await gql<{ gpus: { totalCount: number; edges: { node: GpuNode }[] } }>(
      stack.url,
      '{ gpus(first: 1000) { totalCount edges { node { uuid cluster namespace powerWatts } } } }',
      {},
      admin,
    );
    expect(scores.errors ?? gpus.errors).toBeUndefined();
    const scoreRows = scores.data!.gpuScores.edges.map((e) => e.node);
    const gpuRows = gpus.data!.gpus.edges.map((e) => e.node);

    // Score distribution = gpuScores counted by status.
    const byStatus = Object.fromEntries(
      reportSection(report, 'score_distribution').rows.map((r) => [r.status, r.gpu_count]),
    );
    for (const status of ['IDLE', 'LOW', 'NORMAL', 'HIGH', 'UNKNOWN'])
      expect({ status, count: byStatus[status.toLowerCase()] }).toEqual({
        status,
        count: scoreRows.filter((s) => s.status === status).length,
      });

    // One definition of idle: the GPUs idle over the range are the ones the analyzer calls IDLE.
    const idleNow = [...new Set(scoreRows.filter((s) => s.status === 'IDLE').map((s) => s.gpuId))].sort();
    expect(idleNow.length).toBeGreaterThan(0);
    expect(idleNow.length).toBeLessThanOrEqual(20);
    const idleInRange = reportSection(report, 'top_idle_gpus')
      .rows.map((r) => r.gpu_id as string)
      .sort();
    expect(idleInRange).toEqual(idleNow);
    expect(reportSection(report, 'top_idle_gpus').rows.every((r) => r.idle_percent === 100)).toBe(true);

    // Devices, power now and energy (power is constant over the range: energy = power × the range's 10 s).
    const summary = Object.fromEntries(
      reportSection(report, 'summary').rows.map((r) => [r.metric, r.value as number]),
    );
    expect(summary.gpu_devices).toBe(gpus.data!.gpus.totalCount);
    const instances = new Map<string, number>();
    for (const g of gpuRows)
      instances.set(`${g.cluster}|${g.uuid}`, (instances.get(`${g.cluster}|${g.uuid}`) ?? 0) + 1);
    const boardWatts = new Map(gpuRows.map((g) => [`${g.cluster}|${g.uuid}`, g.powerWatts ?? 0]));
    const powerNow = [...boardWatts.values()].reduce((a, b) => a + b, 0);
    expect(summary.power_now).toBeCloseTo(powerNow, 2);
    const summarySection = reportSection(report, 'summary');
    const points = Number(
      /(\d+) points every 1 s/.exec(summarySection.rows.length ? summarySection.note! : '')![1],
    );
    expect(points).toBe(11);
    expect(summary.energy).toBeCloseTo(powerNow * 10, 1);
    expect(summary.average_power).toBeCloseTo(powerNow, 2);

    // Energy per namespace: each GPU's share of its board's power, over the range.
    const nsWatts = new Map<string, number>();
    for (const g of gpuRows) {
      const key = `${g.cluster}|${g.namespace ?? '(unallocated)'}`;
      nsWatts.set(
        key,
        (nsWatts.get(key) ?? 0) + (g.powerWatts ?? 0) / instances.get(`${g.cluster}|${g.uuid}`)!,
      );
    }
    const nsRows = reportSection(report, 'power_by_namespace').rows;
    expect(nsRows).toHaveLength(nsWatts.size);
    for (const r of nsRows)
      expect({ ns: `${r.cluster}|${r.namespace}`, energy: Math.round(r.energy_joules as number) }).toEqual({
        ns: `${r.cluster}|${r.namespace}`,
        energy: Math.round(nsWatts.get(`${r.cluster}|${r.namespace}`)! * 10),
      });

    // The human figures are the same numbers in kWh and kW.
    const sheets = await readXlsx(await get(`/api/v1/export/report?format=xlsx&${range}`, admin));
    const human = new Map(sheets.get('Summary')!.map((r) => [r[0], r[1]]));
    expect(human.get('GPU energy') as number).toBeCloseTo((powerNow * 10) / 3_600_000, 6);
    expect(human.get('GPU power now') as number).toBeCloseTo(powerNow / 1000, 5);
    expect(human.get('GPUs idle for most of the range')).toBe(idleNow.length);
    const stats = await gql<{ gpuScoreStats: { idleCount: number } }>(
      stack.url,
      '{ gpuScoreStats { idleCount } }',
      {},
      admin,
    );
    expect(human.get('GPUs idle for most of the range')).toBe(stats.data!.gpuScoreStats.idleCount);
    const { text } = await readPdfText(await get(`/api/v1/export/report?format=pdf&${range}`, admin));
    expect(oneLine(text)).toContain(
      `${idleNow.length} of ${gpus.data!.gpus.totalCount} GPUs were idle for most of the 10 seconds`,
    );
  });

  it('states energy per cluster and per namespace as GraphQL energy states it for the same range, in kWh for people', async () => {
    const admin = HEADERS.admin;
    const { from, to } = Object.fromEntries(new URLSearchParams(range)) as { from: string; to: string };
    const iso = (unix: string): string => new Date(Number(unix) * 1000).toISOString();
    const report = JSON.parse(
      (await get(`/api/v1/export/report?format=json&${range}`, admin)).toString('utf8'),
    ) as ReportJson;
    const sheets = await readXlsx(await get(`/api/v1/export/report?format=xlsx&${range}`, admin));
    const { text } = await readPdfText(await get(`/api/v1/export/report?format=pdf&${range}`, admin));
    for (const [groupBy, section, sheet, column] of [
      ['CLUSTER', 'energy_by_cluster', 'Energy by cluster', 'cluster'],
      ['NAMESPACE', 'energy_by_namespace', 'Energy by namespace', 'namespace'],
    ] as const) {
      const energy = await gql<{
        energy: { groups: { key: string; energyJoules: number; energyKilowattHours: number }[] };
      }>(
        stack.url,
        `query($r: TimeRangeInput!, $g: PowerGroupBy!) { energy(range: $r, groupBy: $g) { groups { key energyJoules energyKilowattHours } } }`,
        { r: { from: iso(from), to: iso(to) }, g: groupBy },
        admin,
      );
      expect(energy.errors).toBeUndefined();
      const groups = energy.data!.energy.groups;
      expect(groups.length).toBeGreaterThan(0);
      expect(groups.some((g) => g.energyJoules > 0)).toBe(true);
      const machine = new Map(
        reportSection(report, section).rows.map((r) => [r[column], r.energy_joules as number]),
      );
      expect([...machine.keys()].sort()).toEqual(groups.map((g) => g.key).sort());
      for (const g of groups) expect(machine.get(g.key)).toBeCloseTo(g.energyJoules, 6);
      // xlsx: a title row, then one row per group in kWh.
      const human = new Map(sheets.get(sheet)!.map((r) => [r[0], r[1]]));
      for (const g of groups) expect(human.get(g.key) as number).toBeCloseTo(g.energyKilowattHours, 9);
      expect(oneLine(text)).toContain(sheet);
    }
    // No facility source is configured on this stack: PUE says so rather than inventing a value.
    const pue = reportSection(report, 'pue_by_cluster').rows;
    expect(pue.length).toBeGreaterThan(0);
    expect(
      pue.every(
        (r) => r.method === 'NONE' && r.average_pue === null && /PUE_FACILITY_QUERY/.test(String(r.reason)),
      ),
    ).toBe(true);
  });

  it("gives a partner key a report of its namespace only: no other namespace's name in PDF, xlsx or JSON", async () => {
    const partner = HEADERS.partner;
    const json = (await get(`/api/v1/export/report?format=json&${range}`, partner)).toString('utf8');
    const report = JSON.parse(json) as ReportJson;
    const namespaces = new Set(reportSection(report, 'power_by_namespace').rows.map((r) => r.namespace));
    expect([...namespaces]).toEqual([auth.scopes.partnerNamespace]);
    const sheets = await readXlsx(await get(`/api/v1/export/report?format=xlsx&${range}`, partner));
    const { text } = await readPdfText(await get(`/api/v1/export/report?format=pdf&${range}`, partner));
    expect(text).toContain(auth.scopes.partnerNamespace);
    const tokens = auth.scopes.foreignTokens.partner;
    expect(tokens.length).toBeGreaterThan(0);
    expect(foreignTokensIn(json, tokens)).toEqual([]);
    expect(foreignTokensIn([...sheets.values()], tokens)).toEqual([]);
    expect(foreignTokensIn(text, tokens)).toEqual([]);
  });
});
