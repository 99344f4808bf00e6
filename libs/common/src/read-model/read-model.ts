/**
 * A read model: the rows of one refresh, sorted once per order, indexed by the fields requests filter on, and
 * slices (scope ∩ filter, in one order) computed on first use and memoised until the model is replaced by the next
 * refresh. Pure: no Nest, no I/O; the owner builds a new model when its data changes and drops the old one.
 */
export interface ReadModelSpec<R, O extends string, D extends string> {
  /** Total orders (ties broken down to a unique key): each gives one pre-sorted view. */
  readonly orders: Readonly<Record<O, (a: R, b: R) => number>>;
  /** Indexed fields: value of the field for a row (undefined: not indexed under any value). */
  readonly dimensions: Readonly<Record<D, (row: R) => string | undefined>>;
}

/** What a slice is narrowed to: per dimension, the values a row may have (a union), plus any other predicate. */
export interface SliceQuery<R, D extends string> {
  /** Memo key: equal keys must mean equal slices (scope + filter, canonical). */
  readonly key: string;
  readonly within?: Partial<Readonly<Record<D, readonly string[]>>>;
  readonly where?: (row: R) => boolean;
}

/** Bounded, so distinct filters cannot grow the memo without limit between refreshes (oldest dropped first). */
export const MAX_MEMOISED_SLICES = 512;

/** Below this share of the rows, a slice starts from an index and sorts the candidates by rank, else it scans a view. */
const INDEX_SHARE = 0.25;

/**
 * The rows under one indexed value, stored by size: one row as its number (a UUID index has one per row, and an
 * array each would cost ~60 B), long lists as an Int32Array (4 B a row instead of 8 plus growth slack), the rest as
 * an exact-length array (a typed array's own overhead is larger than a short list).
 */
type Postings = number | Int32Array | readonly number[];
const TYPED_FROM = 64;

function compact(list: number[]): Postings {
  if (list.length === 1) return list[0]!;
  return list.length >= TYPED_FROM ? Int32Array.from(list) : list.slice();
}

const sizeOf = (p: Postings | undefined): number =>
  p === undefined ? 0 : typeof p === 'number' ? 1 : p.length;
const rowsOf = (p: Postings | undefined): number[] =>
  p === undefined ? [] : typeof p === 'number' ? [p] : Array.from(p);

export class ReadModel<R, O extends string, D extends string> {
  readonly size: number;
  private readonly views = new Map<O, readonly R[]>();
  /** Per order: the position of row `i` (as given) in that order's view. */
  private readonly ranks = new Map<O, Int32Array>();
  private readonly indexes = new Map<D, Map<string, Postings>>();
  private readonly slices = new Map<string, readonly R[]>();

  constructor(
    private readonly rows: readonly R[],
    private readonly spec: ReadModelSpec<R, O, D>,
  ) {
    this.size = rows.length;
    for (const dim of Object.keys(spec.dimensions) as D[]) {
      const valueOf = spec.dimensions[dim];
      const lists = new Map<string, number[]>();
      rows.forEach((row, i) => {
        const value = valueOf(row);
        if (value === undefined) return;
        const list = lists.get(value);
        if (list) list.push(i);
        else lists.set(value, [i]);
      });
      const index = new Map<string, Postings>();
      for (const [value, list] of lists) index.set(value, compact(list));
      this.indexes.set(dim, index);
    }
  }

  /** Every row in `order` (sorted on first use, then kept). */
  view(order: O): readonly R[] {
    let view = this.views.get(order);
    if (!view) {
      const compare = this.spec.orders[order];
      const positions = this.rows.map((_, i) => i).sort((a, b) => compare(this.rows[a]!, this.rows[b]!));
      const rank = new Int32Array(this.size);
      positions.forEach((row, position) => (rank[row] = position));
      view = positions.map((i) => this.rows[i]!);
      this.views.set(order, view);
      this.ranks.set(order, rank);
    }
    return view;
  }

  /** Rows whose dimension value is `value`, in no particular order (an index lookup). */
  count(dim: D, value: string): number {
    return sizeOf(this.indexes.get(dim)?.get(value));
  }

  /** The rows matching `query`, in `order`; memoised by (query.key, order) for the model's lifetime. */
  slice(order: O, query: SliceQuery<R, D>): readonly R[] {
    const memoKey = `${order}\u0000${query.key}`;
    const memo = this.slices.get(memoKey);
    if (memo) return memo;
    const result = this.compute(order, query);
    if (this.slices.size >= MAX_MEMOISED_SLICES) this.slices.delete(this.slices.keys().next().value!);
    this.slices.set(memoKey, result);
    return result;
  }

  private compute(order: O, query: SliceQuery<R, D>): readonly R[] {
    const view = this.view(order);
    const keep = this.predicate(query);
    const candidates = this.smallestCandidates(query);
    if (!candidates || candidates.length > this.size * INDEX_SHARE) return keep ? view.filter(keep) : view;
    const rank = this.ranks.get(order)!;
    const rows = candidates
      .filter((i) => !keep || keep(this.rows[i]!))
      .sort((a, b) => rank[a]! - rank[b]!)
      .map((i) => this.rows[i]!);
    return rows;
  }

  /** All constraints as one predicate (the index only picks where to start; every row is still checked). */
  private predicate(query: SliceQuery<R, D>): ((row: R) => boolean) | undefined {
    const checks: ((row: R) => boolean)[] = [];
    for (const [dim, values] of Object.entries(query.within ?? {}) as [D, readonly string[] | undefined][]) {
      if (!values) continue;
      const valueOf = this.spec.dimensions[dim];
      const allowed = new Set(values);
      checks.push((row) => {
        const value = valueOf(row);
        return value !== undefined && allowed.has(value);
      });
    }
    if (query.where) checks.push(query.where);
    if (checks.length === 0) return undefined;
    return (row) => checks.every((check) => check(row));
  }

  /** Row numbers of the most selective indexed constraint, or undefined when none constrains. */
  private smallestCandidates(query: SliceQuery<R, D>): number[] | undefined {
    let best: number[] | undefined;
    for (const [dim, values] of Object.entries(query.within ?? {}) as [D, readonly string[] | undefined][]) {
      if (!values) continue;
      const index = this.indexes.get(dim)!;
      const rows = [...new Set(values)].flatMap((v) => rowsOf(index.get(v)));
      if (!best || rows.length < best.length) best = rows;
    }
    return best;
  }
}
