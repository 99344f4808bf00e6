// The virtualised grid: every row (cluster header or node) is ROW_HEIGHT pixels tall, so only the rows in view (plus a
// margin) exist in the DOM whatever the fleet's size. Tiles are buttons: Tab reaches them, Enter opens the panel.
import type { Board, GridRow, Tile } from './fleet';

export const ROW_HEIGHT = 36;
const OVERSCAN = 6;

function tileLabel(tile: Tile): string {
  if (tile.kind === 'npu') {
    const n = tile.npu;
    return `NPU ${n.uuid} on ${n.node}, ${n.model}, ${n.namespace ?? 'unallocated'}`;
  }
  const r = tile.row;
  const what = r.migInstanceId ? `MIG ${r.migProfile ?? r.migInstanceId} of ${r.uuid}` : `GPU ${r.uuid}`;
  const score = r.score === null ? 'no score' : `score ${r.score.toFixed(0)}`;
  return `${what}, ${r.status.toLowerCase()}, ${score}, ${r.namespace ?? 'unallocated'}${r.pod ? `/${r.pod}` : ''}`;
}

function tileButton(tile: Tile, small: boolean): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = small ? 'tile mini' : 'tile';
  if (tile.kind === 'gpu') {
    b.dataset.id = tile.row.id;
    b.dataset.uuid = tile.row.gpuId;
    b.dataset.status = tile.row.status;
    b.dataset.namespace = tile.row.namespace ?? '';
  } else {
    b.dataset.id = `npu:${tile.npu.uuid}`;
    b.dataset.uuid = tile.npu.uuid;
    b.dataset.status = 'NPU';
    b.dataset.namespace = tile.npu.namespace ?? '';
  }
  const label = tileLabel(tile);
  b.setAttribute('aria-label', label);
  b.title = label;
  return b;
}

function boardElement(board: Board): HTMLElement {
  const [only, ...more] = board.tiles;
  if (only && !more.length) return tileButton(only, false);
  const group = document.createElement('div');
  group.className = 'board';
  group.setAttribute('role', 'group');
  group.setAttribute('aria-label', `${board.model} ${board.uuid}: ${board.tiles.length} instances`);
  for (const t of board.tiles) group.append(tileButton(t, true));
  return group;
}

function rowElement(row: GridRow, index: number): HTMLElement {
  const el = document.createElement('div');
  el.style.top = `${index * ROW_HEIGHT}px`;
  if (row.kind === 'cluster') {
    el.className = 'row cluster-row';
    const h = document.createElement('h3');
    h.textContent = `${row.cluster} · ${row.gpus} GPUs`;
    el.append(h);
    return el;
  }
  el.className = 'row node-row';
  const name = document.createElement('span');
  name.className = 'node-name';
  name.textContent = row.node;
  name.title = `${row.cluster}/${row.node}`;
  const boards = document.createElement('div');
  boards.className = 'boards';
  for (const b of row.boards) boards.append(boardElement(b));
  el.append(name, boards);
  return el;
}

export class VirtualGrid {
  private rows: readonly GridRow[] = [];
  private frame = 0;

  constructor(
    private readonly viewport: HTMLElement,
    private readonly inner: HTMLElement,
    onOpen: (id: string) => void,
  ) {
    viewport.addEventListener('scroll', () => this.schedule(), { passive: true });
    window.addEventListener('resize', () => this.schedule());
    inner.addEventListener('click', (e) => {
      const tile = (e.target as HTMLElement).closest<HTMLElement>('.tile');
      if (tile?.dataset.id) onOpen(tile.dataset.id);
    });
  }

  setRows(rows: readonly GridRow[]): void {
    this.rows = rows;
    this.inner.style.height = `${rows.length * ROW_HEIGHT}px`;
    this.render();
  }

  /** Coalesces scroll and resize bursts into one render per frame. */
  schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  render(): void {
    const top = this.viewport.scrollTop;
    const height = this.viewport.clientHeight || 600;
    const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(this.rows.length, Math.ceil((top + height) / ROW_HEIGHT) + OVERSCAN);
    // Rebuilding the window moves focus out of a re-created tile: put it back on the same device.
    const focused = (document.activeElement as HTMLElement | null)?.closest<HTMLElement>('.tile')?.dataset.id;
    const els: HTMLElement[] = [];
    this.rows.slice(first, last).forEach((row, k) => els.push(rowElement(row, first + k)));
    this.inner.replaceChildren(...els);
    if (focused) this.inner.querySelector<HTMLElement>(`.tile[data-id="${CSS.escape(focused)}"]`)?.focus();
  }
}
