import { Injectable } from '@nestjs/common';
import { SharedState } from '@kcloud/realtime';
import type { ScoreRecord } from '../scoring/records';

export const ANALYZER_STATE_DOC = 'analyzer-state';

/**
 * What the analyzer must not forget across restarts and leader changes: the last results (each with its status and
 * `statusSince`), the webhook cooldowns (GPU key → last post, epoch ms) and the last committed cycle.
 */
export interface AnalyzerState {
  readonly lastRunId: number;
  readonly lastCompletedAtMs?: number;
  readonly records: readonly ScoreRecord[];
  readonly cooldowns: Readonly<Record<string, number>>;
}

export const EMPTY_ANALYZER_STATE: AnalyzerState = { lastRunId: 0, records: [], cooldowns: {} };

/**
 * The analyzer's persisted state, one versioned document in SharedState. A cycle reads it (cheaply: only the version
 * when nothing changed), computes, then commits with compare-and-set on the version it read: if another replica
 * committed meanwhile (a leader change during the cycle, a manual trigger elsewhere) the commit is refused, so no
 * cycle is committed twice on the same base and no webhook is claimed twice.
 */
@Injectable()
export class AnalyzerStateStore {
  private cached: { version: number; state: AnalyzerState } = { version: 0, state: EMPTY_ANALYZER_STATE };

  constructor(private readonly shared: SharedState) {}

  /** The latest committed state and its version (0 and an empty state before the first commit). */
  async load(): Promise<{ version: number; state: AnalyzerState }> {
    const version = await this.shared.readVersion(ANALYZER_STATE_DOC);
    if (version === this.cached.version) return this.cached;
    const doc = await this.shared.read<AnalyzerState>(ANALYZER_STATE_DOC);
    this.cached = doc
      ? { version: doc.version, state: doc.value }
      : { version: 0, state: EMPTY_ANALYZER_STATE };
    return this.cached;
  }

  /** True when committed as `expected + 1`; false when another writer got there first. */
  async commit(expected: number, state: AnalyzerState): Promise<boolean> {
    const result = await this.shared.compareAndSet(ANALYZER_STATE_DOC, expected, state);
    if (result.ok) this.cached = { version: result.version, state };
    return result.ok;
  }
}
