// The fleet page's summaries: headline figures, the namespace waste table, the filter choices and the legend.
import {
  distinctValues,
  type Filter,
  namespaceWaste,
  type NpuRow,
  type ScoreRow,
  type Status,
  STATUSES,
  statusCounts,
  UNALLOCATED,
} from './fleet';

export const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

/** What the page holds: every GPU row by id, the NPU cards, the filter in force, live power and PUE. */
export interface FleetState {
  rows: Map<string, ScoreRow>;
  npus: NpuRow[];
  filter: Filter;
  powerWatts: number | null;
  pue: { cluster: string; value: number | null }[];
}

export const watts = (w: number | null): string =>
  w === null ? '–' : w >= 10_000 ? `${(w / 1000).toFixed(1)} kW` : `${w.toFixed(0)} W`;

/** Every status, but UNALLOCATED only where the analyzer lists such GPUs (ANALYZER_ALLOCATED_ONLY). */
const shownStatuses = (counts: Record<Status, number>): Status[] =>
  STATUSES.filter((s) => s !== 'UNALLOCATED' || counts.UNALLOCATED > 0);

export function renderHeadline(state: FleetState): void {
  const counts = statusCounts(state.rows.values());
  $('status-counts').replaceChildren(
    ...shownStatuses(counts).map((s) => {
      const li = document.createElement('li');
      li.dataset.status = s;
      li.textContent = `${s.toLowerCase()} ${counts[s]}`;
      return li;
    }),
  );
  $('gpu-total').textContent = String(state.rows.size);
  $('fleet-power').textContent = watts(state.powerWatts);
  const known = state.pue.filter((p) => p.value !== null);
  $('pue').textContent = known.length
    ? known.map((p) => `${p.cluster} ${p.value!.toFixed(2)}`).join(', ')
    : 'not known';
  let idlePower = 0;
  for (const r of state.rows.values()) if (r.status === 'IDLE') idlePower += r.powerWatts ?? 0;
  $('idle-gpus').textContent = `${counts.IDLE} (${watts(idlePower)})`;
}

export function renderWaste(state: FleetState): void {
  $('waste')
    .querySelector('tbody')!
    .replaceChildren(
      ...namespaceWaste(state.rows.values()).map((w) => {
        const tr = document.createElement('tr');
        for (const v of [
          w.namespace,
          w.gpus,
          w.idle,
          w.low,
          w.idlePowerWatts.toFixed(0),
          w.averageScore === null ? '–' : w.averageScore.toFixed(1),
        ]) {
          const td = document.createElement(tr.childElementCount ? 'td' : 'th');
          if (!tr.childElementCount) td.setAttribute('scope', 'row');
          td.textContent = String(v);
          tr.append(td);
        }
        return tr;
      }),
    );
}

function fillSelect(name: keyof Filter, values: string[], labels?: (v: string) => string): void {
  const select = ($('filters') as HTMLFormElement).elements.namedItem(name) as HTMLSelectElement;
  const current = select.value;
  const options = ['', ...values].map((v) => {
    const o = document.createElement('option');
    o.value = v;
    o.textContent = v ? (labels ? labels(v) : v) : 'All';
    return o;
  });
  select.replaceChildren(...options);
  select.value = values.includes(current) ? current : '';
}

export function renderFilters(state: FleetState): void {
  const rows = [...state.rows.values()];
  fillSelect('cluster', distinctValues([...rows.map((r) => r.cluster), ...state.npus.map((n) => n.cluster)]));
  fillSelect('namespace', distinctValues([...rows, ...state.npus].map((r) => r.namespace ?? UNALLOCATED)));
  const statuses = shownStatuses(statusCounts(rows));
  fillSelect('status', [...statuses, ...(state.npus.length ? ['NPU'] : [])], (s) => s.toLowerCase());
  fillSelect('model', distinctValues([...rows.map((r) => r.model), ...state.npus.map((n) => n.model)]));
}

export function legend(): void {
  $('legend').replaceChildren(
    ...[...STATUSES, 'NPU'].map((s) => {
      const li = document.createElement('li');
      const sw = document.createElement('span');
      sw.className = 'swatch';
      sw.dataset.status = s;
      sw.setAttribute('aria-hidden', 'true');
      li.append(sw, s === 'NPU' ? 'NPU (not scored)' : s.toLowerCase());
      return li;
    }),
  );
}
