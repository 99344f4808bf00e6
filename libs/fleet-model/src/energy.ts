import { hashMix, toUnit } from './hash';

/**
 * DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION in closed form. Energy grows linearly at the device's mean power since a fixed
 * epoch; W × ms = mJ, so no unit factor is needed. A pattern switch starts a new segment at the switch time with the
 * energy reached so far, so the counter stays continuous and strictly increasing across switches, and any time can be
 * evaluated without iterating over buckets.
 */
export const ENERGY_EPOCH_MS = Date.UTC(2025, 0, 1);

interface Segment {
  readonly fromMs: number;
  readonly energyMj: number;
  readonly meanWatts: number;
}

/**
 * One per device, alive as long as the model: the epoch segment is held as two numbers of the ledger itself (its
 * start is the epoch), and an array of later segments exists only once the device has switched patterns.
 */
export class EnergyLedger {
  private readonly baseMj: number;
  private readonly baseWatts: number;
  /** Segments after the epoch one, in time order; undefined until the first switch. */
  private later: Segment[] | undefined = undefined;

  constructor(deviceKey: number, meanWatts: number) {
    // Energy already counted "since the driver was loaded" at the epoch: 1e9..5e9 mJ (0.3..1.4 kWh), per device.
    this.baseMj = 1e9 + toUnit(hashMix(deviceKey, 0xe7e7)) * 4e9;
    this.baseWatts = Math.max(meanWatts, 1);
  }

  /** Integer mJ, as DCGM reports it. Times before the epoch extrapolate backwards (never below 0). */
  energyAt(atMs: number): number {
    return Math.max(0, Math.floor(this.energyMjAt(atMs)));
  }

  /** The mean power the counter integrates from `atMs` on (a new pattern's mean). */
  changeMeanPower(atMs: number, meanWatts: number): void {
    const energyMj = this.energyMjAt(atMs);
    // A switch "in the past" of the latest segment would make history ambiguous; later segments win, so drop them.
    const later = (this.later ??= []);
    while (later.length > 0 && (later.at(-1)?.fromMs ?? atMs) > atMs) later.pop();
    later.push({ fromMs: atMs, energyMj, meanWatts: Math.max(meanWatts, 1) });
  }

  /** Unrounded energy at `atMs` on the segment that covers it (the latest one starting at or before it). */
  private energyMjAt(atMs: number): number {
    const later = this.later;
    if (later)
      for (let i = later.length - 1; i >= 0; i--) {
        const s = later[i];
        if (s && s.fromMs <= atMs) return s.energyMj + s.meanWatts * (atMs - s.fromMs);
      }
    return this.baseMj + this.baseWatts * (atMs - ENERGY_EPOCH_MS);
  }
}
