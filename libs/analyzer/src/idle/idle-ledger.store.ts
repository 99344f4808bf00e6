import { Injectable } from '@nestjs/common';
import { SharedState } from '@kcloud/realtime';
import { EMPTY_LEDGER_HEAD, type LedgerBucket, type LedgerHead, mergePart } from './idle-ledger';

export const IDLE_LEDGER_HEAD_DOC = 'idle-ledger-head';
const bucketDoc = (startMs: number) => `idle-ledger-bucket.${startMs}`;
/** A bucket write refused this often in a row (replicas racing) gives up; the watermark keeps a retry exact. */
const MAX_ATTEMPTS = 4;

/**
 * The idle ledger in SharedState (Redis or STATE_DIR), so every replica answers from it and it survives restarts:
 * a head document (when the ledger was last extended, the boards' energy counters then, the current idle stretches)
 * and one document per time bucket, so a cycle rewrites only the bucket it touches and a range reads only its own.
 */
@Injectable()
export class IdleLedgerStore {
  constructor(private readonly shared: SharedState) {}

  async head(): Promise<{ version: number; head: LedgerHead }> {
    const doc = await this.shared.read<LedgerHead>(IDLE_LEDGER_HEAD_DOC);
    return doc ? { version: doc.version, head: doc.value } : { version: 0, head: EMPTY_LEDGER_HEAD };
  }

  /** False when another replica extended the ledger since `version` was read. */
  async commitHead(version: number, head: LedgerHead): Promise<boolean> {
    return (await this.shared.compareAndSet(IDLE_LEDGER_HEAD_DOC, version, head)).ok;
  }

  /** Adds a cycle's part to its bucket with compare-and-set; idempotent through the bucket's watermark. */
  async addPart(part: LedgerBucket): Promise<void> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const doc = await this.shared.read<LedgerBucket>(bucketDoc(part.startMs));
      const next = mergePart(doc?.value, part);
      if (next === doc?.value) return;
      if ((await this.shared.compareAndSet(bucketDoc(part.startMs), doc?.version ?? 0, next)).ok) return;
    }
    throw new Error(
      `idle ledger bucket ${new Date(part.startMs).toISOString()} kept changing under this write`,
    );
  }

  /** The buckets overlapping [fromMs, toMs), read in parallel. */
  async buckets(fromMs: number, toMs: number, bucketMs: number): Promise<LedgerBucket[]> {
    const starts: number[] = [];
    for (let s = Math.floor(fromMs / bucketMs) * bucketMs; s < toMs; s += bucketMs) starts.push(s);
    const docs = await Promise.all(starts.map((s) => this.shared.read<LedgerBucket>(bucketDoc(s))));
    return docs.flatMap((d) => (d ? [d.value] : []));
  }
}
