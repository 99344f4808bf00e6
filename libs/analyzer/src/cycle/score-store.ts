import { Injectable } from '@nestjs/common';
import type { ScoreRecord } from '../scoring/records';

/**
 * The latest results, in memory (10,000 GPUs ≈ a few MB). A cycle replaces the results of the clusters that
 * answered; a cluster that failed keeps its previous results, marked stale. The map and the list are replaced, never
 * changed in place, so both are handed out as they are (at 50,000 GPUs a copy per call was a 50,000-entry Map or
 * array each time).
 */
@Injectable()
export class ScoreStore {
  private records = new Map<string, ScoreRecord>();
  private list?: readonly ScoreRecord[];
  private changes = 0;
  private newestRun = 0;

  /**
   * The newest run id seen here, also from another replica's events: if Redis loses the analyzer state and the former
   * leader is gone, the replica that leads next numbers its runs on from it instead of from 1.
   */
  get lastRunId(): number {
    return this.newestRun;
  }

  noteRun(id: number): void {
    this.newestRun = Math.max(this.newestRun, id);
  }

  /** Changes on every install/replace: read models and cached answers built from an older version are stale. */
  get version(): number {
    return this.changes;
  }

  all(): readonly ScoreRecord[] {
    return (this.list ??= [...this.records.values()]);
  }

  get(key: string): ScoreRecord | undefined {
    return this.records.get(key);
  }

  /** The current results by key (replaced, not changed, by the next install). */
  snapshot(): ReadonlyMap<string, ScoreRecord> {
    return this.records;
  }

  /** Replaces everything with results committed elsewhere (the persisted state at start, another replica's cycle). */
  install(records: readonly ScoreRecord[]): void {
    // A cycle installs the committed state it starts from: the very list installed here last time changes nothing.
    if (records === this.list) return;
    this.records = new Map(records.map((r) => [r.key, r]));
    // The caller's list is the store's when its keys are distinct (a cycle's merged results, a committed state).
    this.list = records.length === this.records.size ? records : undefined;
    this.changes++;
  }

  /**
   * Installs a cycle's results. `failedClusters`: clusters whose previous records are kept, flagged stale. Records
   * of clusters that answered but no longer report a device are dropped (the GPU disappeared).
   */
  replace(fresh: readonly ScoreRecord[], failedClusters: ReadonlySet<string>): void {
    const next = new Map<string, ScoreRecord>();
    for (const r of this.records.values())
      if (failedClusters.has(r.cluster)) next.set(r.key, r.stale ? r : { ...r, stale: true });
    for (const r of fresh) next.set(r.key, r);
    this.records = next;
    this.list = undefined;
    this.changes++;
  }
}
