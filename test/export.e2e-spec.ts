import type { INestApplication } from '@nestjs/common';
import { AnalysisCycle, AnalyzerService } from '@kcloud/analyzer';
import { loadConfig } from '@kcloud/common';
import { FleetModel, gpuKeyOf, type SimGpu } from '@kcloud/fleet-model';
import { GPU_SERIES_SOURCE, type GpuSeriesSource } from '@kcloud/metrics-source';
import { createApp } from '../apps/api/src/bootstrap';
import { apiKeysEnv } from './harness/api-keys';
import {
  readArrow,
  readCsv,
  readNdjson,
  readParquet,
  readPdfText,
  readXlsx,
  reportSection,
  totalsByTimestamp,
} from './harness/export-readers';
import { exactGpuCells, simGpuOfRow } from './harness/export-truth';
import { gql } from './harness/graphql-client';
import { pollUntil } from './harness/poll';
import { watchSeriesReads } from './harness/series-reads';
import { atLeast, defined } from './harness/indexed';

const ADMIN_KEY = 'export-e2e-admin-key-0123456789';
const INFERENCE_KEY = 'export-e2e-inference-key-0123456789';

// A tenant whose pod name holds what every format must survive: comma, quote, newline, non-ASCII (PDF-safe glyphs).
const HOSTILE_POD = 'nb "Zürich", Москва\nline 2';

/** A past hour, so every value is the model's at a known instant. */
const FROM = '2025-06-01T00:00:00Z';
const TO = '2025-06-01T01:00:00Z';
const STEPS = 13; // every 5 minutes, both ends included

interface Download {
  readonly status: number;
  readonly headers: Headers;
  readonly bytes: Buffer;
}

describe('exports from the running app on the simulated demo fleet', () => {
  let app: INestApplication;
  let url: string;
  let model: FleetModel;
  let hostile: SimGpu;

  async function get(path: string, key = ADMIN_KEY): Promise<Download> {
    const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${key}` } });
    return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
  }

  async function expectOk(path: string, contentType: string, ext: string): Promise<Buffer> {
    const res = await get(path);
    expect({ status: res.status, type: res.headers.get('content-type') }).toEqual({
      status: 200,
      type: contentType,
    });
    const dataset = /\/export\/([^/?]+)/.exec(path)?.[1];
    expect(res.headers.get('content-disposition')).toMatch(
      new RegExp(`^attachment; filename="kcloud-${dataset}-\\d{8}T\\d{6}Z-\\d{8}T\\d{6}Z\\.${ext}"`),
    );
    return res.bytes;
  }

  beforeAll(async () => {
    const config = loadConfig({
      PORT: '0',
      LOG_LEVEL: 'warn',
      // Analysis runs when the test says so, not on a timer.
      ANALYZER_ENABLED: 'false',
      RATE_LIMIT_PER_MINUTE: '100000',
      API_KEYS: apiKeysEnv([
        { name: 'admin', secret: ADMIN_KEY, role: 'admin' },
        {
          name: 'inference-viewer',
          secret: INFERENCE_KEY,
          role: 'viewer',
          namespaces: ['inference'],
        },
      ]),
    });
    app = await createApp(config);
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    model = app.get(FleetModel);
    const target = model.gpus().find((g) => !g.migInstanceId && g.pattern === 'unallocated')!;
    model.setPattern(target.uuid, undefined, 'notebook', {
      namespace: 'research',
      pod: HOSTILE_POD,
      container: 'jupyter',
    });
    hostile = model.gpuByKey(target.uuid)!;
  });

  afterAll(async () => app?.close());

  it('gpus as CSV: every device with the simulator values at its observation time, hostile pod intact', async () => {
    const rows = readCsv(
      await expectOk('/api/v1/export/gpus?format=csv', 'text/csv; charset=utf-8; header=present', 'csv'),
    );
    expect(rows).toHaveLength(model.gpus().length);
    for (const row of rows) {
      const sim = simGpuOfRow(model, row, 'observed_at');
      expect(row).toMatchObject({
        ...exactGpuCells(sim),
        temperature_celsius: String(sim.temperatureCelsius),
      });
      expect(Number(row.power_watts)).toBeCloseTo(sim.powerWatts, 6);
    }
    expect(rows.find((r) => r.gpu_uuid === hostile.uuid)!.pod).toBe(HOSTILE_POD);
  });

  it('gpus as JSON, xlsx and PDF carry the same devices', async () => {
    const expected = model.gpus().map(gpuKeyOf).sort();
    const json = JSON.parse(
      (await expectOk('/api/v1/export/gpus?format=json', 'application/json; charset=utf-8', 'json')).toString(
        'utf8',
      ),
    ) as { gpu_uuid: string; mig_instance_id: string | null; pod: string | null }[];
    expect(
      json.map((r) => (r.mig_instance_id ? `${r.gpu_uuid}/${r.mig_instance_id}` : r.gpu_uuid)).sort(),
    ).toEqual(expected);

    const xlsx = await readXlsx(
      await expectOk(
        '/api/v1/export/gpus?format=xlsx',
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'xlsx',
      ),
    );
    const [header, ...body] = atLeast(xlsx.get('GPUs')!, 1, 'row of the GPUs sheet');
    const pod = header.indexOf('pod');
    expect(body).toHaveLength(expected.length);
    expect(body.some((cells) => cells[pod] === HOSTILE_POD)).toBe(true);

    const pdf = await readPdfText(await expectOk('/api/v1/export/gpus?format=pdf', 'application/pdf', 'pdf'));
    // Cells wrap inside the table and pdftotext drops a hyphen that ends a line: compare without both.
    const squash = (text: string): string => text.replace(/[\s-]+/g, '');
    const text = squash(pdf.text);
    expect(text).toContain(squash(HOSTILE_POD));
    for (const g of model.gpus()) expect(text).toContain(squash(g.uuid));
  });

  it('metrics as Parquet and Arrow: every device at every step, equal to the model at that instant', async () => {
    const query = `from=${FROM}&to=${TO}&step=5m`;
    const devices = model.gpus(undefined, Date.parse(FROM)).length;
    const parquet = await readParquet(
      await expectOk(
        `/api/v1/export/metrics?format=parquet&${query}`,
        'application/vnd.apache.parquet',
        'parquet',
      ),
    );
    const arrow = readArrow(
      await expectOk(
        `/api/v1/export/metrics?format=arrow&${query}`,
        'application/vnd.apache.arrow.stream',
        'arrows',
      ),
    );
    expect(parquet.rows).toHaveLength(STEPS * devices);
    expect(arrow.rows).toHaveLength(STEPS * devices);
    for (const [i, p] of parquet.rows.entries()) {
      const a = defined(arrow.rows[i], `Arrow row ${i}`);
      const at = Date.parse(p.timestamp as string);
      expect(a.timestamp).toBe(at);
      const sim = model.gpuByKey(
        p.gpu_uuid as string,
        (p.mig_instance_id as string | null) ?? undefined,
        at,
      )!;
      for (const r of [p, a]) {
        expect(r.power_watts).toBeCloseTo(sim.powerWatts, 6);
        expect(r.memory_used_mib).toBe(sim.memoryUsedMiB);
        expect(r.utilization_percent).toBe(sim.utilizationPercent ?? null);
        expect(r.energy_joules).toBeCloseTo(sim.energyMillijoules / 1000, 3);
      }
    }
  });

  it('metrics as NDJSON for one namespace, and power as CSV summing every board once per step', async () => {
    const ndjson = readNdjson(
      await expectOk(
        `/api/v1/export/metrics?format=ndjson&from=${FROM}&to=${TO}&step=30m&namespace=inference`,
        'application/x-ndjson; charset=utf-8',
        'ndjson',
      ),
    );
    const inference = model
      .gpus(undefined, Date.parse(FROM))
      .filter((g) => g.namespace === 'inference').length;
    expect(ndjson).toHaveLength(3 * inference);
    expect(ndjson.every((r) => r.namespace === 'inference')).toBe(true);

    const power = readCsv(
      await expectOk(
        `/api/v1/export/power?format=csv&from=${FROM}&to=${TO}&step=5m`,
        'text/csv; charset=utf-8; header=present',
        'csv',
      ),
    );
    const byStep = totalsByTimestamp(power, 'power_watts');
    expect(byStep.size).toBe(STEPS);
    for (const [ts, watts] of byStep) {
      const boards = new Map(model.gpus(undefined, Date.parse(ts)).map((g) => [g.uuid, g.powerWatts]));
      expect(watts).toBeCloseTo(
        [...boards.values()].reduce((a, b) => a + b, 0),
        1,
      );
    }
  });

  it('scores as JSON: the analyzer results of the latest analysis', async () => {
    await app.get(AnalysisCycle).run('manual');
    const expected = app.get(AnalyzerService).results();
    const rows = JSON.parse(
      (
        await expectOk('/api/v1/export/scores?format=json', 'application/json; charset=utf-8', 'json')
      ).toString('utf8'),
    ) as { gpu_id: string; status: string; score: number | null }[];
    expect(rows).toHaveLength(expected.length);
    expect(rows.map((r) => [r.gpu_id, r.status, r.score])).toEqual(
      expected.map((e) => [e.key, e.status, e.score ?? null]),
    );
  });

  it('report as xlsx (one sheet per section), PDF (paginated) and JSON', async () => {
    const query = `from=${FROM}&to=${TO}&step=5m`;
    const sheets = await readXlsx(
      await expectOk(
        `/api/v1/export/report?format=xlsx&${query}`,
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'xlsx',
      ),
    );
    expect([...sheets.keys()]).toEqual([
      'Summary',
      'Score distribution',
      'Top idle GPUs',
      'Power by namespace',
      'Idle accounting by namespace',
      'Node power by cluster',
      'PUE by cluster',
      'Energy by cluster',
      'Energy by namespace',
      'Chart data',
    ]);
    const physical = sheets.get('Summary')!.find((r) => r[0] === 'Physical GPUs')!;
    expect(physical[1]).toBe(new Set(model.gpus().map((g) => g.uuid)).size);
    expect(sheets.get('Top idle GPUs')!.length).toBeGreaterThan(1);

    const pdf = await readPdfText(
      await expectOk(`/api/v1/export/report?format=pdf&${query}`, 'application/pdf', 'pdf'),
    );
    for (const heading of [
      'kcloud-monitor fleet report',
      'Summary',
      'Score distribution',
      'Top idle GPUs',
      'Power by namespace',
    ])
      expect(pdf.text).toContain(heading);
    expect(pdf.text).toMatch(/page 1 of \d+/);

    const json = JSON.parse(
      (
        await expectOk(
          `/api/v1/export/report?format=json&${query}`,
          'application/json; charset=utf-8',
          'json',
        )
      ).toString('utf8'),
    ) as { sections: Record<string, { rows: Record<string, unknown>[] }> };
    const namespaces = reportSection(json, 'power_by_namespace').rows.map((r) => r.namespace);
    expect(namespaces).toEqual(expect.arrayContaining(['ml-training', 'inference', '(unallocated)']));
  });

  it('applies the caller scope: a key limited to a namespace exports only that namespace', async () => {
    const rows = readCsv((await get('/api/v1/export/gpus?format=csv', INFERENCE_KEY)).bytes);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.namespace === 'inference')).toBe(true);
    const outside = await get(
      `/api/v1/export/metrics?format=csv&from=${FROM}&to=${TO}&namespace=ml-training`,
      INFERENCE_KEY,
    );
    expect(outside.status).toBe(200);
    expect(readCsv(outside.bytes)).toEqual([]);
  });

  it('exportUrl returns a download path for the same parameters', async () => {
    const res = await gql<{ exportUrl: string }>(
      url,
      `{ exportUrl(dataset: POWER, format: CSV, range: { from: "${FROM}", to: "${TO}", stepSeconds: 600 }, filter: { namespaces: ["inference"] }) }`,
      {},
      { authorization: `Bearer ${ADMIN_KEY}` },
    );
    expect(res.errors).toBeUndefined();
    const download = await get(res.data!.exportUrl);
    expect(download.status).toBe(200);
    const rows = readCsv(download.bytes);
    expect(new Set(rows.map((r) => r.timestamp)).size).toBe(7);
    expect(rows.every((r) => r.namespace === 'inference')).toBe(true);
    const bad = await gql(
      url,
      `{ exportUrl(dataset: GPUS, format: CSV, range: { from: "${TO}", to: "${FROM}" }) }`,
      {},
      {
        authorization: `Bearer ${ADMIN_KEY}`,
      },
    );
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'from' });
  });

  it.each([
    ['an unknown format', '/api/v1/export/gpus?format=docx', 'format'],
    ['an unknown dataset', '/api/v1/export/nodes?format=csv', 'dataset'],
    ['from after to', `/api/v1/export/metrics?format=csv&from=${TO}&to=${FROM}`, 'from'],
    ['a step over the row cap', '/api/v1/export/metrics?format=csv&period=7d&step=1', 'step'],
    ['the report as CSV', '/api/v1/export/report?format=csv', 'format'],
    ['an unknown parameter', '/api/v1/export/gpus?formt=csv', 'formt'],
  ])('answers %s with 400 JSON naming the parameter and no attachment', async (_what, path, argument) => {
    const res = await get(path);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('content-disposition')).toBeNull();
    expect(JSON.parse(res.bytes.toString('utf8'))).toMatchObject({
      statusCode: 400,
      code: 'BAD_USER_INPUT',
      argument,
    });
  });

  it('stops reading the source when the client goes away mid-download', async () => {
    const reads = watchSeriesReads(app.get<GpuSeriesSource>(GPU_SERIES_SOURCE));
    try {
      // A week every minute: ~260,000 rows in ~55 batches, far more than one socket buffer.
      const abort = new AbortController();
      const res = await fetch(`${url}/api/v1/export/metrics?format=ndjson&period=7d&step=60`, {
        headers: { authorization: `Bearer ${ADMIN_KEY}` },
        signal: abort.signal,
      });
      const reader = res.body!.getReader();
      await reader.read();
      abort.abort();
      await pollUntil('the export to stop reading', async () => (reads.closed ? true : undefined), {
        timeoutMs: 10_000,
      });
      const atClose = reads.pulled;
      expect(atClose).toBeLessThan(50);
      expect(reads.pulled).toBe(atClose);
    } finally {
      reads.restore();
    }
  });

  it('answers HEAD with the status and headers of the download, without producing the file', async () => {
    const reads = watchSeriesReads(app.get<GpuSeriesSource>(GPU_SERIES_SOURCE));
    try {
      const head = await fetch(`${url}/api/v1/export/metrics?format=csv&period=7d&step=60`, {
        method: 'HEAD',
        headers: { authorization: `Bearer ${ADMIN_KEY}` },
      });
      expect(head.status).toBe(200);
      expect(head.headers.get('content-type')).toMatch(/^text\/csv/);
      expect(head.headers.get('content-disposition')).toMatch(
        /^attachment; filename="kcloud-metrics-.*\.csv"/,
      );
      expect((await head.arrayBuffer()).byteLength).toBe(0);
      await pollUntil('the prepared read to be released', async () => (reads.closed ? true : undefined), {
        timeoutMs: 5_000,
      });
      // One batch read to learn that the source answers (a week at 1-minute steps is ~55 batches).
      expect(reads.pulled).toBe(1);
      const bad = await fetch(`${url}/api/v1/export/metrics?format=docx`, {
        method: 'HEAD',
        headers: { authorization: `Bearer ${ADMIN_KEY}` },
      });
      expect(bad.status).toBe(400);
    } finally {
      reads.restore();
    }
  });
});
