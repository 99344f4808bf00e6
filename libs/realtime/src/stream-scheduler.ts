/** The timer behind polled live streams, injectable so tests drive ticks themselves instead of waiting. */
export const STREAM_SCHEDULER = Symbol('STREAM_SCHEDULER');

export interface StreamScheduler {
  /** Calls `tick` every `intervalMs` until the returned function is called. */
  every(intervalMs: number, tick: () => void): () => void;
}

export const intervalScheduler: StreamScheduler = {
  every(intervalMs, tick) {
    const timer = setInterval(tick, intervalMs);
    return () => clearInterval(timer);
  },
};

/** A scheduler ticked by hand (tests, benches): no real time passes, so nothing depends on timing. */
export class ManualStreamScheduler implements StreamScheduler {
  readonly timers = new Map<number, { readonly intervalMs: number; readonly tick: () => void }>();
  private next = 0;

  every(intervalMs: number, tick: () => void): () => void {
    const id = this.next++;
    this.timers.set(id, { intervalMs, tick });
    return () => this.timers.delete(id);
  }

  /** Fires every running timer once. */
  tickAll(): void {
    for (const t of [...this.timers.values()]) t.tick();
  }
}
