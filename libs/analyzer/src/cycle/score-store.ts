import { Injectable } from '@nestjs/common';
import type { ScoreRecord } from '../scoring/records';

/**
 * The latest results, in memory (10,000 GPUs ≈ a few MB). A cycle replaces the results of the clusters that
 * answered; a cluster that failed keeps its previous results, marked stale.
 */
@Injectable()
export class ScoreStore {
  private records = new Map<string, ScoreRecord>();
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
    return [...this.records.values()];
  }

  get(key: string): ScoreRecord | undefined {
    return this.records.get(key);
  }

  snapshot(): ReadonlyMap<string, ScoreRecord> {
    return new Map(this.records);
  }

  /** Replaces everything with results committed elsewhere (the persisted state at start, another replica's cycle). */
  install(records: readonly ScoreRecord[]): void {
    this.records = new Map(records.map((r) => [r.key, r]));
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
    this.changes++;
  }
}
