/** The timer behind live power streams, injectable so tests drive ticks themselves instead of waiting. */
export const POWER_STREAM_SCHEDULER = Symbol('POWER_STREAM_SCHEDULER');

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
