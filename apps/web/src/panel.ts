// The side panel: a device's details, tenant and reason at once from the grid's data, then what needs a query
// (temperature, memory, health, data quality, and Gpu.history: utilisation, memory and power over the last hour).
import { gql } from './api';
import { lineChart, type Point } from './chart';
import type { ScoreDetail, ScoreRow, Tile } from './fleet';
import { GPU_DETAIL } from './queries';

const $ = (id: string): HTMLElement => document.getElementById(id)!;
let opened: HTMLElement | null = null;
let requestSeq = 0;

function details(pairs: readonly (readonly [string, string | number | null | undefined])[]): void {
  const dl = $('panel-details');
  dl.replaceChildren();
  for (const [k, v] of pairs) {
    if (v === null || v === undefined || v === '') continue;
    const div = document.createElement('div');
    const dt = document.createElement('dt');
    const dd = document.createElement('dd');
    dt.textContent = k;
    dd.textContent = String(v);
    div.append(dt, dd);
    dl.append(div);
  }
}

function bars(values: readonly (readonly [string, number | null])[]): void {
  const list = document.createElement('ul');
  list.className = 'bars';
  for (const [label, v] of values) {
    const li = document.createElement('li');
    const name = document.createElement('span');
    name.textContent = label;
    const meter = document.createElement('meter');
    meter.min = 0;
    meter.max = 100;
    meter.value = v ?? 0;
    meter.setAttribute('aria-label', label);
    const val = document.createElement('span');
    val.textContent = v === null ? '–' : `${v.toFixed(0)} %`;
    li.append(name, meter, val);
    list.append(li);
  }
  $('panel-inputs').replaceChildren(list);
}

/** The analyzer's view of a GPU: the grid row, with the detail (reason, inputs, since) once it is known. */
function scoreDetails(r: ScoreRow, d: Partial<ScoreDetail>): void {
  details([
    ['GPU', r.gpuId],
    ['Model', r.model],
    ['Cluster / node', `${r.cluster} / ${r.node}`],
    ['Tenant', r.namespace ? `${r.namespace}${r.pod ? ` / ${r.pod}` : ''}` : 'unallocated'],
    [
      'Status',
      `${r.status.toLowerCase()}${d.stale ? ' (stale)' : ''}${d.statusSince ? ` since ${new Date(d.statusSince).toLocaleTimeString()}` : ''}`,
    ],
    ['Score', r.score === null ? 'none' : r.score.toFixed(1)],
    ['Reason', d.reason],
    ['Power', r.powerWatts === null ? null : `${r.powerWatts.toFixed(0)} W`],
    ['Memory used', d.memoryUsedMiB == null ? null : `${d.memoryUsedMiB.toFixed(0)} MiB`],
  ]);
  if (!d.inputs) return $('panel-inputs').replaceChildren();
  bars([
    ['Utilisation', d.inputs.utilizationPercent],
    ['Memory copy', d.inputs.memoryCopyUtilizationPercent],
    ['Memory used', d.inputs.memoryUsedPercent],
    ['Power (of limit)', d.inputs.powerPercent],
    ['Score (0–100)', r.score],
  ]);
}

export function openPanel(tile: Tile): void {
  const panel = $('panel');
  opened = document.activeElement as HTMLElement | null;
  panel.hidden = false;
  const seq = ++requestSeq;
  if (tile.kind === 'npu') {
    const n = tile.npu;
    $('panel-title').textContent = `NPU ${n.model}`;
    details([
      ['UUID', n.uuid],
      ['Vendor', n.vendor],
      ['Cluster / node', `${n.cluster} / ${n.node}`],
      ['Tenant', n.namespace ? `${n.namespace}${n.pod ? ` / ${n.pod}` : ''}` : 'unallocated'],
      ['Utilisation', n.utilizationPercent === null ? null : `${n.utilizationPercent.toFixed(0)} %`],
      ['Power', n.powerWatts === null ? null : `${n.powerWatts.toFixed(0)} W`],
      ['Healthy', n.healthy === null ? null : n.healthy ? 'yes' : 'no'],
    ]);
    $('panel-chart-title').textContent = 'Last hour';
    $('panel-chart').replaceChildren(document.createTextNode('No history for NPUs yet.'));
    bars([['Utilisation', n.utilizationPercent]]);
  } else {
    const r = tile.row;
    $('panel-title').textContent = r.migInstanceId ? `MIG ${r.migProfile ?? r.migInstanceId}` : r.model;
    scoreDetails(r, r);
    $('panel-chart-title').textContent = 'Last hour';
    $('panel-chart').replaceChildren(document.createTextNode('loading…'));
    void loadDetail(r, seq);
  }
  $('panel-title').focus();
}

interface GpuDetail {
  readonly temperatureCelsius: number | null;
  readonly memoryTotalMiB: number | null;
  readonly driverVersion: string | null;
  readonly dataQuality: { readonly status: string; readonly reason: string | null };
  readonly health: { readonly status: string; readonly reasons: readonly string[] };
  readonly score: ScoreDetail | null;
  readonly history: readonly {
    readonly timestamp: string;
    readonly utilizationPercent: number | null;
    readonly memoryUsedMiB: number | null;
    readonly powerWatts: number | null;
  }[];
}

/** One series of the history, the steps without a reading left out (a refused or missing sample is a gap). */
function series(gpu: GpuDetail, value: (p: GpuDetail['history'][number]) => number | null): Point[] {
  const out: Point[] = [];
  for (const p of gpu.history) {
    const v = value(p);
    if (v !== null) out.push({ t: Date.parse(p.timestamp), v });
  }
  return out;
}

function chartFigure(caption: string, chart: SVGElement): HTMLElement {
  const figure = document.createElement('figure');
  const cap = document.createElement('figcaption');
  cap.textContent = caption;
  figure.append(cap, chart);
  return figure;
}

async function loadDetail(row: ScoreRow, seq: number): Promise<void> {
  const to = new Date();
  const from = new Date(to.getTime() - 3600_000);
  try {
    const { data } = await gql<{ gpu: GpuDetail | null }>(GPU_DETAIL, {
      uuid: row.gpuId,
      range: { from: from.toISOString(), to: to.toISOString(), stepSeconds: 60 },
    });
    if (seq !== requestSeq) return;
    const gpu = data.gpu;
    if (!gpu) {
      $('panel-chart').textContent = 'This GPU is not reported any more.';
      return;
    }
    // A time-sliced GPU's score is one of its shares': the row's own detail (from a live event) wins when it has one.
    scoreDetails(row, row.inputs ? row : (gpu.score ?? {}));
    const dl = $('panel-details');
    for (const [k, v] of [
      ['Temperature', gpu.temperatureCelsius === null ? null : `${gpu.temperatureCelsius.toFixed(0)} °C`],
      ['Memory total', gpu.memoryTotalMiB === null ? null : `${gpu.memoryTotalMiB.toFixed(0)} MiB`],
      ['Driver', gpu.driverVersion],
      [
        'Health',
        `${gpu.health.status.toLowerCase()}${gpu.health.reasons.length ? ` — ${gpu.health.reasons.join('; ')}` : ''}`,
      ],
      [
        'Data quality',
        `${gpu.dataQuality.status}${gpu.dataQuality.reason ? ` — ${gpu.dataQuality.reason}` : ''}`,
      ],
    ] as const) {
      if (v === null) continue;
      const div = document.createElement('div');
      const dt = document.createElement('dt');
      const dd = document.createElement('dd');
      dt.textContent = k;
      dd.textContent = v;
      div.append(dt, dd);
      dl.append(div);
    }
    const total = gpu.memoryTotalMiB;
    const percent = { min: 0, max: 100 };
    $('panel-chart').replaceChildren(
      chartFigure(
        'Utilisation (%)',
        lineChart(
          series(gpu, (p) => p.utilizationPercent),
          'Utilisation over the last hour',
          '%',
          percent,
        ),
      ),
      total
        ? chartFigure(
            'Memory used (%)',
            lineChart(
              series(gpu, (p) => (p.memoryUsedMiB === null ? null : (p.memoryUsedMiB / total) * 100)),
              'Memory used over the last hour',
              '%',
              percent,
            ),
          )
        : chartFigure(
            'Memory used (MiB)',
            lineChart(
              series(gpu, (p) => p.memoryUsedMiB),
              'Memory used over the last hour',
              'MiB',
            ),
          ),
      chartFigure(
        'Power (W)',
        lineChart(
          series(gpu, (p) => p.powerWatts),
          'Power over the last hour',
          'W',
        ),
      ),
    );
  } catch (e) {
    if (seq === requestSeq) $('panel-chart').textContent = `No history: ${(e as Error).message}`;
  }
}

export function closePanel(): void {
  const panel = $('panel');
  if (panel.hidden) return;
  panel.hidden = true;
  requestSeq++;
  opened?.focus();
}
