/**
 * Per-snapshot memo: a list derived from a source snapshot (sorted, joined, filtered) is computed the first time a
 * request needs it and reused by every request that reads the same snapshot object, until the snapshot is re-read.
 * The in-memory cache hands out the snapshot by reference, so identity is the refresh signal; with Redis every read
 * deserialises a new object and the memo simply misses (correct, only slower).
 */
export class SnapshotMemo<V> {
  private readonly bySnapshot = new WeakMap<object, Map<string, V>>();

  constructor(private readonly maxKeysPerSnapshot = 256) {}

  /** The value derived from `snapshots` (all of them must be the same objects) for `key`, computing it once. */
  get(snapshots: readonly object[], key: string, compute: () => V): V {
    const [first, ...rest] = snapshots;
    if (!first) return compute();
    let memo = this.bySnapshot.get(first);
    if (!memo) {
      memo = new Map();
      this.bySnapshot.set(first, memo);
    }
    // The other snapshots' identities are part of the key: a re-read of any of them is a different entry.
    const full = `${rest.map((s) => this.idOf(s)).join(',')}|${key}`;
    let value = memo.get(full);
    if (value === undefined) {
      value = compute();
      if (memo.size >= this.maxKeysPerSnapshot) memo.delete(memo.keys().next().value!);
      memo.set(full, value);
    }
    return value;
  }

  private readonly ids = new WeakMap<object, number>();
  private next = 0;

  private idOf(snapshot: object): number {
    let id = this.ids.get(snapshot);
    if (id === undefined) {
      id = ++this.next;
      this.ids.set(snapshot, id);
    }
    return id;
  }
}
