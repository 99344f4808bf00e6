// The fleet page: reads the fleet once, then keeps it current from graphql-ws events (no polling loop).
import { ApiError, apiKey, download, gql, liveClient, type LiveState } from './api';
import { type Filter, layoutRows, NO_FILTER, type NpuRow, type ScoreRow, UNALLOCATED } from './fleet';
import { $, type FleetState, legend, renderFilters, renderHeadline, renderWaste } from './summaries';
import { VirtualGrid } from './grid';
import { openPanel, closePanel } from './panel';
import { EXPORT_URL, HEADLINE, NPUS_PAGE, POWER_UPDATED, PUE, SCORE_CHANGED, SCORES_PAGE } from './queries';

const state: FleetState = {
  rows: new Map<string, ScoreRow>(),
  npus: [] as NpuRow[],
  filter: NO_FILTER as Filter,
  powerWatts: null as number | null,
  pue: [] as { cluster: string; value: number | null }[],
};

let grid: VirtualGrid;
let renderFrame = 0;
let unsubscribe: (() => void)[] = [];
let disposeLive: (() => void) | undefined;

function message(text: string | undefined): void {
  const el = $('message');
  el.hidden = !text;
  el.textContent = text ?? '';
}

/** Re-lays the grid and the summaries at most once per frame, however many events arrive. */
function render(): void {
  renderFrame = 0;
  const t0 = performance.now();
  const { rows, gpus, npus } = layoutRows(state.rows.values(), state.npus, state.filter);
  grid.setRows(rows);
  const count = $('gpu-count');
  count.dataset.count = String(gpus);
  count.dataset.npus = String(npus);
  count.textContent = `· ${gpus} GPUs${npus ? `, ${npus} NPUs` : ''}${gpus === state.rows.size ? '' : ` of ${state.rows.size}`}`;
  renderHeadline(state);
  renderWaste(state);
  document.body.dataset.renderMs = (performance.now() - t0).toFixed(1);
}

function scheduleRender(): void {
  if (!renderFrame) renderFrame = requestAnimationFrame(render);
}

type Page<T> = { pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: T }[] };

/** Every page of a connection, in order; `onPage` sees each page as it arrives. */
async function readAll<T>(
  query: string,
  pick: (d: never) => Page<T>,
  onPage?: (nodes: T[]) => void,
): Promise<T[]> {
  const out: T[] = [];
  let after: string | null = null;
  for (;;) {
    const { data } = await gql<never>(query, { after });
    const page = pick(data);
    const nodes = page.edges.map((e) => e.node);
    out.push(...nodes);
    onPage?.(nodes);
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) return out;
    after = page.pageInfo.endCursor;
  }
}

async function load(): Promise<void> {
  const started = performance.now();
  message(undefined);
  delete document.body.dataset.ready;
  // On a first load the grid fills page by page (10,000 GPUs are ten pages); a re-read swaps in the whole fleet at once.
  const progressive = state.rows.size === 0;
  const fresh = new Map<string, ScoreRow>();
  const onPage = (nodes: ScoreRow[]): void => {
    for (const r of nodes) fresh.set(r.id, r);
    if (!progressive) return;
    state.rows = fresh;
    if (document.body.dataset.firstPaintMs) return scheduleRender();
    render();
    document.body.dataset.firstPaintMs = (performance.now() - started).toFixed(0);
  };
  try {
    const [, npus, head] = await Promise.all([
      readAll<ScoreRow>(SCORES_PAGE, (d: { gpuScores: never }) => d.gpuScores, onPage),
      readAll<NpuRow>(NPUS_PAGE, (d: { npus: never }) => d.npus).catch(() => [] as NpuRow[]),
      gql<{ power: { totalWatts: number }; clusters: { name: string }[] }>(HEADLINE),
    ]);
    state.rows = fresh;
    state.npus = npus;
    state.powerWatts = head.data.power.totalWatts;
    renderFilters(state);
    render();
    document.body.dataset.loadMs = (performance.now() - started).toFixed(0);
    document.body.dataset.ready = 'true';
    void loadPue(head.data.clusters.map((c) => c.name));
  } catch (e) {
    const refused = e instanceof ApiError && (e.code === 'UNAUTHENTICATED' || e.code === 'FORBIDDEN');
    message(
      refused
        ? `The API refused this page: ${e.message}. Enter an API key above.`
        : `Could not read the fleet: ${(e as Error).message}`,
    );
    if (refused) $('api-key').focus();
  }
}

async function loadPue(clusters: string[]): Promise<void> {
  const answers = await Promise.all(
    clusters.map((cluster) =>
      gql<{ pue: { cluster: string; value: number | null } }>(PUE, { cluster })
        .then((r) => r.data.pue)
        .catch(() => null),
    ),
  );
  state.pue = answers.filter((a): a is { cluster: string; value: number | null } => a !== null);
  renderHeadline(state);
}

function setLive(s: LiveState, detail?: string): void {
  const el = $('live');
  el.dataset.state = s;
  const words: Record<LiveState, string> = {
    connecting: 'connecting…',
    connected: 'connected',
    reconnecting: 'reconnecting…',
    closed: 'disconnected',
  };
  el.textContent = `Live: ${words[s]}${detail ? ` (${detail})` : ''}`;
}

function startLive(): void {
  disposeLive?.();
  for (const u of unsubscribe) u();
  const client = liveClient(setLive, () => void load());
  const sink = <T>(next: (v: T) => void) => ({
    next: (m: { data?: T | null }) => m.data && next(m.data),
    error: () => setLive('closed', 'subscription refused'),
    complete: () => undefined,
  });
  unsubscribe = [
    client.subscribe(
      { query: SCORE_CHANGED },
      sink<{ gpuScoreChanged: { gpu: ScoreRow } }>((d) => {
        state.rows.set(d.gpuScoreChanged.gpu.id, d.gpuScoreChanged.gpu);
        scheduleRender();
      }),
    ),
    client.subscribe(
      { query: POWER_UPDATED },
      sink<{ powerUpdated: { totalWatts: number } }>((d) => {
        state.powerWatts = d.powerUpdated.totalWatts;
        renderHeadline(state);
      }),
    ),
  ];
  disposeLive = () => void client.dispose();
}

function currentExportFilter(): Record<string, string[]> {
  const f: Record<string, string[]> = {};
  if (state.filter.cluster) f.clusters = [state.filter.cluster];
  if (state.filter.namespace && state.filter.namespace !== UNALLOCATED)
    f.namespaces = [state.filter.namespace];
  return f;
}

async function exportAs(format: string, button: HTMLButtonElement): Promise<void> {
  button.disabled = true;
  try {
    // The analyzer's view as a table; the PDF is the human report of the same scope.
    const dataset = format === 'PDF' ? 'REPORT' : 'SCORES';
    const { data } = await gql<{ exportUrl: string }>(EXPORT_URL, {
      dataset,
      format,
      filter: currentExportFilter(),
    });
    const name = await download(data.exportUrl);
    message(undefined);
    button.dataset.downloaded = name;
  } catch (e) {
    message(`Export failed: ${(e as Error).message}`);
  } finally {
    button.disabled = false;
  }
}

function boot(): void {
  legend();
  grid = new VirtualGrid($('grid'), $('grid-inner'), (id) => {
    const row = state.rows.get(id);
    const npu = id.startsWith('npu:') ? state.npus.find((n) => `npu:${n.uuid}` === id) : undefined;
    if (row || npu) openPanel(row ? { kind: 'gpu', row } : { kind: 'npu', npu: npu! });
  });
  const keyInput = $<HTMLInputElement>('api-key');
  keyInput.value = apiKey.get();
  $('auth').addEventListener('submit', (e) => {
    e.preventDefault();
    apiKey.set(keyInput.value.trim());
    startLive();
    void load();
  });
  $('forget-key').addEventListener('click', () => {
    keyInput.value = '';
    apiKey.set('');
    startLive();
    void load();
  });
  $('filters').addEventListener('change', () => {
    const form = new FormData($('filters') as HTMLFormElement);
    state.filter = {
      cluster: String(form.get('cluster') ?? ''),
      namespace: String(form.get('namespace') ?? ''),
      status: String(form.get('status') ?? ''),
      model: String(form.get('model') ?? ''),
    };
    render();
  });
  for (const b of document.querySelectorAll<HTMLButtonElement>('.exports button'))
    b.addEventListener('click', () => void exportAs(b.dataset.format ?? 'CSV', b));
  $('panel-close').addEventListener('click', closePanel);
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') closePanel();
  });
  startLive();
  void load();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot);
else boot();
