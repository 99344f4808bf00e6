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

export class EnergyLedger {
  /** Never empty: the epoch segment is never dropped. */
  private readonly segments: [Segment, ...Segment[]];

  constructor(deviceKey: number, meanWatts: number) {
    // Energy already counted "since the driver was loaded" at the epoch: 1e9..5e9 mJ (0.3..1.4 kWh), per device.
    const baseMj = 1e9 + toUnit(hashMix(deviceKey, 0xe7e7)) * 4e9;
    this.segments = [{ fromMs: ENERGY_EPOCH_MS, energyMj: baseMj, meanWatts: Math.max(meanWatts, 1) }];
  }

  /** Integer mJ, as DCGM reports it. Times before the epoch extrapolate backwards (never below 0). */
  energyAt(atMs: number): number {
    const s = this.segmentAt(atMs);
    return Math.max(0, Math.floor(s.energyMj + s.meanWatts * (atMs - s.fromMs)));
  }

  /** The mean power the counter integrates from `atMs` on (a new pattern's mean). */
  changeMeanPower(atMs: number, meanWatts: number): void {
    const current = this.segmentAt(atMs);
    const energyMj = current.energyMj + current.meanWatts * (atMs - current.fromMs);
    // A switch "in the past" of the latest segment would make history ambiguous; later segments win, so drop them.
    while (this.segments.length > 1 && (this.segments.at(-1)?.fromMs ?? atMs) > atMs) this.segments.pop();
    this.segments.push({ fromMs: atMs, energyMj, meanWatts: Math.max(meanWatts, 1) });
  }

  private segmentAt(atMs: number): Segment {
    for (let i = this.segments.length - 1; i > 0; i--) {
      const s = this.segments[i];
      if (s && s.fromMs <= atMs) return s;
    }
    return this.segments[0];
  }
}
