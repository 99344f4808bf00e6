/**
 * Exporter targets taken down on demand, by scrape path: `unavailable` answers 503 (an exporter behind a proxy, or
 * one that cannot reach its driver), `refused` drops the connection without an answer (the process is gone).
 */
export type TargetOutage = 'unavailable' | 'refused';

export class TargetOutages {
  private readonly down = new Map<string, TargetOutage>();

  set(path: string, outage: TargetOutage | null): void {
    if (outage === null) this.down.delete(path);
    else this.down.set(path, outage);
  }

  of(path: string): TargetOutage | undefined {
    return this.down.get(path);
  }

  clear(): void {
    this.down.clear();
  }
}
