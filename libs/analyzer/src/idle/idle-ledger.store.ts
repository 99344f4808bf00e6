import { Injectable } from '@nestjs/common';
import { SharedState } from '@kcloud/realtime';
import { EMPTY_LEDGER_HEAD, type LedgerBucket, type LedgerHead, mergePart } from './idle-ledger';

export const IDLE_LEDGER_HEAD_DOC = 'idle-ledger-head';
const bucketDoc = (startMs: number) => `idle-ledger-bucket.${startMs}`;
/** The start of the ledger's first bucket: nothing before it exists, so a range reaching back years reads nothing there. */
export const IDLE_LEDGER_ORIGIN_DOC = 'idle-ledger-origin';
interface LedgerOrigin {
  readonly startMs: number;
}
/** A bucket write refused this often in a row (replicas racing) gives up; the watermark keeps a retry exact. */
const MAX_ATTEMPTS = 4;
const MAX_KNOWN_ABSENT = 200_000;

/**
 * The idle ledger in SharedState (Redis or STATE_DIR), so every replica answers from it and it survives restarts:
 * a head document (when the ledger was last extended, the boards' energy counters then, the current idle stretches)
 * and one document per time bucket, so a cycle rewrites only the bucket it touches and a range reads only its own.
 */
@Injectable()
export class IdleLedgerStore {
  private readonly inFlight = new Map<number, Promise<LedgerBucket | undefined>>();
  /** Start times of final buckets found absent (numbers only; past the cap the memo starts over). */
  private readonly knownAbsent = new Set<number>();
  /**
   * The head and the bucket this replica last read or wrote, with their versions: a cycle re-reads a document only
   * when its version moved (another replica extended the ledger), not the whole head (every board's energy reading,
   * every idle stretch) and bucket every cycle.
   */
  private lastHead?: { version: number; head: LedgerHead };
  private lastBucket?: { version: number; bucket: LedgerBucket };

  constructor(private readonly shared: SharedState) {}

  async head(): Promise<{ version: number; head: LedgerHead }> {
    const last = this.lastHead;
    if (last && (await this.shared.readVersion(IDLE_LEDGER_HEAD_DOC)) === last.version) return last;
    const doc = await this.shared.read<LedgerHead>(IDLE_LEDGER_HEAD_DOC);
    this.lastHead = doc ? { version: doc.version, head: doc.value } : undefined;
    return this.lastHead ?? { version: 0, head: EMPTY_LEDGER_HEAD };
  }

  /** False when another replica extended the ledger since `version` was read. */
  async commitHead(version: number, head: LedgerHead): Promise<boolean> {
    const result = await this.shared.compareAndSet(IDLE_LEDGER_HEAD_DOC, version, head);
    if (result.ok) this.lastHead = { version: result.version, head };
    return result.ok;
  }

  /** Adds a cycle's part to its bucket with compare-and-set; idempotent through the bucket's watermark. */
  async addPart(part: LedgerBucket): Promise<void> {
    // The origin first: a reader that finds a bucket must also find an origin at or before it.
    await this.extendOrigin(part.startMs);
    const name = bucketDoc(part.startMs);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const doc = await this.currentBucket(name, part.startMs);
      const next = mergePart(doc?.value, part);
      if (next === doc?.value) return;
      const result = await this.shared.compareAndSet(name, doc?.version ?? 0, next);
      if (result.ok) {
        this.lastBucket = { version: result.version, bucket: next };
        return;
      }
    }
    throw new Error(
      `idle ledger bucket ${new Date(part.startMs).toISOString()} kept changing under this write`,
    );
  }

  /**
   * The buckets overlapping [fromMs, toMs), read in parallel. Concurrent reads of one bucket share one store request
   * (the aliases of one query read each bucket once, not once per alias), and a bucket that ended before
   * `finalBeforeMs` (no cycle can charge it any more) found absent is not read again: a range reaching far before the
   * ledger began costs its store requests once per process, not per request.
   */
  async buckets(
    fromMs: number,
    toMs: number,
    bucketMs: number,
    finalBeforeMs = -Infinity,
  ): Promise<LedgerBucket[]> {
    const origin = (await this.shared.read<LedgerOrigin>(IDLE_LEDGER_ORIGIN_DOC))?.value.startMs;
    if (origin === undefined) return []; // the ledger was never extended
    const reads: Promise<LedgerBucket | undefined>[] = [];
    for (let s = Math.max(Math.floor(fromMs / bucketMs) * bucketMs, origin); s < toMs; s += bucketMs)
      if (!this.knownAbsent.has(s)) reads.push(this.bucket(s, s + bucketMs <= finalBeforeMs));
    const docs = await Promise.all(reads);
    return docs.flatMap((d) => (d ? [d] : []));
  }

  /** The bucket starting at `startMs` as stored: the one last read or written here while its version is unchanged. */
  private async currentBucket(
    name: string,
    startMs: number,
  ): Promise<{ version: number; value: LedgerBucket } | undefined> {
    const last = this.lastBucket;
    if (last?.bucket.startMs === startMs && (await this.shared.readVersion(name)) === last.version)
      return { version: last.version, value: last.bucket };
    const doc = await this.shared.read<LedgerBucket>(name);
    this.lastBucket = doc && { version: doc.version, bucket: doc.value };
    return doc;
  }

  /** Moves the origin back to `startMs` if it is later (or absent); compare-and-set, so racing replicas agree. */
  private async extendOrigin(startMs: number): Promise<void> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const doc = await this.shared.read<LedgerOrigin>(IDLE_LEDGER_ORIGIN_DOC);
      if (doc && doc.value.startMs <= startMs) return;
      if ((await this.shared.compareAndSet(IDLE_LEDGER_ORIGIN_DOC, doc?.version ?? 0, { startMs })).ok)
        return;
    }
    throw new Error('idle ledger origin kept changing under this write');
  }

  private bucket(startMs: number, final: boolean): Promise<LedgerBucket | undefined> {
    const pending = this.inFlight.get(startMs);
    if (pending) return pending;
    const read = this.shared.read<LedgerBucket>(bucketDoc(startMs)).then(
      (d) => {
        this.inFlight.delete(startMs);
        if (!d && final) {
          if (this.knownAbsent.size >= MAX_KNOWN_ABSENT) this.knownAbsent.clear();
          this.knownAbsent.add(startMs);
        }
        return d?.value;
      },
      (e: unknown) => {
        this.inFlight.delete(startMs);
        throw e;
      },
    );
    this.inFlight.set(startMs, read);
    return read;
  }
}
