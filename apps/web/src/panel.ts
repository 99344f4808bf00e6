// The side panel: a device's details, tenant and reason at once from the grid's data, then what needs a query
// (temperature, memory, data quality, the node's power over the last hour as a chart).
import { gql } from './api';
import { lineChart, type Point } from './chart';
import type { Tile } from './fleet';
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
    details([
      ['GPU', r.gpuId],
      ['Model', r.model],
      ['Cluster / node', `${r.cluster} / ${r.node}`],
      ['Tenant', r.namespace ? `${r.namespace}${r.pod ? ` / ${r.pod}` : ''}` : 'unallocated'],
      ['Status', `${r.status.toLowerCase()}${r.stale ? ' (stale)' : ''} since ${new Date(r.statusSince).toLocaleTimeString()}`],
      ['Score', r.score === null ? 'none' : r.score.toFixed(1)],
      ['Reason', r.reason],
      ['Power', r.powerWatts === null ? null : `${r.powerWatts.toFixed(0)} W`],
      ['Memory used', r.memoryUsedMiB === null ? null : `${r.memoryUsedMiB.toFixed(0)} MiB`],
    ]);
    bars([
      ['Utilisation', r.inputs.utilizationPercent],
      ['Memory copy', r.inputs.memoryCopyUtilizationPercent],
      ['Memory used', r.inputs.memoryUsedPercent],
      ['Power (of limit)', r.inputs.powerPercent],
      ['Score (0–100)', r.score],
    ]);
    $('panel-chart').replaceChildren(document.createTextNode('loading…'));
    void loadDetail(r.gpuId, r.cluster, r.node, seq);
  }
  $('panel-title').focus();
}

async function loadDetail(uuid: string, cluster: string, node: string, seq: number): Promise<void> {
  const to = new Date();
  const from = new Date(to.getTime() - 3600_000);
  try {
    const { data } = await gql<{
      gpu: { temperatureCelsius: number | null; memoryTotalMiB: number | null; driverVersion: string | null; dataQuality: { status: string; reason: string | null } } | null;
      powerTimeseries: { series: { key: string; points: { timestamp: string; watts: number }[] }[] };
    }>(GPU_DETAIL, { uuid, filter: { cluster, node }, range: { from: from.toISOString(), to: to.toISOString(), stepSeconds: 60 } });
    if (seq !== requestSeq) return;
    const dl = $('panel-details');
    for (const [k, v] of [
      ['Temperature', data.gpu?.temperatureCelsius == null ? null : `${data.gpu.temperatureCelsius.toFixed(0)} °C`],
      ['Memory total', data.gpu?.memoryTotalMiB == null ? null : `${data.gpu.memoryTotalMiB.toFixed(0)} MiB`],
      ['Driver', data.gpu?.driverVersion ?? null],
      ['Data quality', data.gpu ? `${data.gpu.dataQuality.status}${data.gpu.dataQuality.reason ? ` — ${data.gpu.dataQuality.reason}` : ''}` : null],
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
    const series = data.powerTimeseries.series.find((s) => s.key === node) ?? data.powerTimeseries.series[0];
    const points: Point[] = (series?.points ?? []).map((p) => ({ t: Date.parse(p.timestamp), v: p.watts }));
    // The schema has no per-GPU history yet (Gpu.history is being added): the node's power is the closest series.
    $('panel-chart-title').textContent = `Node ${node}: power, last hour (W)`;
    $('panel-chart').replaceChildren(lineChart(points, `Power of node ${node} over the last hour`, 'W'));
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
