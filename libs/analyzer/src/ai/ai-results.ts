import type { AiVerdict } from './ai-answer';

/** One GPU's latest answer and the state it answered about. */
export interface AiResult {
  readonly stateKey: string;
  readonly verdict: AiVerdict;
  /** Below ANALYZER_AI_THRESHOLD: kept (so the question is not asked again) but not shown. */
  readonly confident: boolean;
  readonly analyzedAtMs: number;
  readonly expiresAtMs: number;
}

/**
 * Answers per GPU key, doubling as the cache: an answer stands for its GPU while the GPU's state key is the one it
 * answered about and its TTL has not run out. Failures are not kept, so the next cycle asks again (within its cap).
 */
export class AiResults {
  private readonly results = new Map<string, AiResult>();
  private changes = 0;

  /** Changes whenever an answer is added or dropped (response-cache keys, gauge rebuilds). */
  get version(): number {
    return this.changes;
  }

  get size(): number {
    return this.results.size;
  }

  put(key: string, result: AiResult): void {
    this.results.set(key, result);
    this.changes++;
  }

  /** The answer for this state if one is still valid: a hit means no new request. */
  current(key: string, stateKey: string, nowMs: number): AiResult | undefined {
    const r = this.results.get(key);
    return r && r.stateKey === stateKey && nowMs < r.expiresAtMs ? r : undefined;
  }

  /** What the API and the gauges show: a valid answer the model was confident about. */
  shown(key: string, stateKey: string, nowMs: number): AiResult | undefined {
    const r = this.current(key, stateKey, nowMs);
    return r?.confident ? r : undefined;
  }

  keys(): IterableIterator<string> {
    return this.results.keys();
  }

  /** Every answer, for the shared copy other replicas read. */
  entries(): [string, AiResult][] {
    return [...this.results];
  }

  /** Replaces every answer with the shared copy (a follower, a restart). */
  install(entries: readonly (readonly [string, AiResult])[]): void {
    this.results.clear();
    for (const [key, r] of entries) this.results.set(key, r);
    this.changes++;
  }

  /** Drops answers about a state the GPU has left, expired ones and those of GPUs no longer reported. */
  prune(stateKeys: ReadonlyMap<string, string>, nowMs: number): void {
    for (const [key, r] of this.results)
      if (stateKeys.get(key) !== r.stateKey || nowMs >= r.expiresAtMs) {
        this.results.delete(key);
        this.changes++;
      }
  }
}
