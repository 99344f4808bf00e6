/**
 * Devices whose readings stop changing while they are still scraped (a hung DCGM host engine, a stuck collector): a
 * frozen GPU is sampled at the moment it was frozen, every value including the energy counter, until it is thawed.
 */
export class FrozenDevices {
  private readonly since = new Map<string, number>();

  freeze(uuid: string, atMs: number = Date.now()): void {
    if (!this.since.has(uuid)) this.since.set(uuid, atMs);
  }

  /** Thaws one device, or every device when no UUID is given. */
  thaw(uuid?: string): void {
    if (uuid === undefined) this.since.clear();
    else this.since.delete(uuid);
  }

  /** The time the device's readings are pinned to, or `atMs` when it is not frozen. */
  timeOf(uuid: string, atMs: number): number {
    // Asked per device and bucket (3 million times per 50k-GPU window): no lookup while nothing is frozen.
    return this.since.size === 0 ? atMs : (this.since.get(uuid) ?? atMs);
  }

  /** When the device was frozen; undefined when it is not. */
  sinceOf(uuid: string): number | undefined {
    return this.since.get(uuid);
  }

  uuids(): string[] {
    return [...this.since.keys()];
  }
}
