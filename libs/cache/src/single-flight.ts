/**
 * One execution per key at a time: the first caller to miss starts a flight and executes; callers of the same key
 * that come while it is under way join it and take its value instead of executing again. Whoever finishes the flight
 * (the leader) gives the value to share, or undefined when it has none (an error, a refusal): the joiners then execute
 * themselves. The wait is bounded: a flight not finished within `waitMs` (a stuck or lost leader) is dropped and its
 * joiners get undefined, so no request waits on another for ever.
 */
export class SingleFlight<T> {
  private readonly flights = new Map<string, Flight<T>>();

  constructor(private readonly waitMs: number) {}

  /** The value of the flight under way for `key` (undefined if it fails or outlasts the wait); undefined: none. */
  join(key: string): Promise<T | undefined> | undefined {
    return this.flights.get(key)?.value;
  }

  /**
   * Joins the flight under way for `key`, or starts one (then undefined: the caller leads it and must finish it).
   * Synchronous, so no two callers of one key both lead.
   */
  joinOrStart(key: string): Promise<T | undefined> | undefined {
    const under = this.join(key);
    if (under) return under;
    let resolve!: (value: T | undefined) => void;
    const value = new Promise<T | undefined>((r) => (resolve = r));
    const timer = setTimeout(() => this.finish(key, undefined), this.waitMs);
    // A flight never keeps the process up (a shutdown does not wait for a stuck leader).
    timer.unref();
    this.flights.set(key, { value, resolve, timer });
    return undefined;
  }

  /** Ends the flight of `key`, giving its joiners `value`; nothing when no flight is under way (it timed out). */
  finish(key: string, value: T | undefined): void {
    const flight = this.flights.get(key);
    if (!flight) return;
    this.flights.delete(key);
    clearTimeout(flight.timer);
    flight.resolve(value);
  }

  /** Flights under way (a gauge; tests). */
  get size(): number {
    return this.flights.size;
  }
}

interface Flight<T> {
  readonly value: Promise<T | undefined>;
  readonly resolve: (value: T | undefined) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}
