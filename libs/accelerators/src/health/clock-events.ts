/**
 * DCGM_CLOCKS_EVENT_REASON_* bits (dcgm_fields.h; formerly DCGM_CLOCKS_THROTTLE_REASON_*), named as DCGM names them.
 * `degrading` marks the reasons that mean the hardware is protecting itself (thermal, power brake, HW slowdown);
 * idle, application/display clock settings, the software power cap and sync boost are normal operation.
 */
export const CLOCK_EVENT_REASONS: readonly {
  readonly bit: number;
  readonly name: string;
  readonly degrading: boolean;
}[] = [
  { bit: 0x1, name: 'GPU_IDLE', degrading: false },
  { bit: 0x2, name: 'CLOCKS_SETTING', degrading: false },
  { bit: 0x4, name: 'SW_POWER_CAP', degrading: false },
  { bit: 0x8, name: 'HW_SLOWDOWN', degrading: true },
  { bit: 0x10, name: 'SYNC_BOOST', degrading: false },
  { bit: 0x20, name: 'SW_THERMAL', degrading: true },
  { bit: 0x40, name: 'HW_THERMAL', degrading: true },
  { bit: 0x80, name: 'HW_POWER_BRAKE', degrading: true },
  { bit: 0x100, name: 'DISPLAY_CLOCKS', degrading: false },
];

/** The reasons set in a bitmask, in bit order; bits DCGM does not define come out as `BIT_<n>`. */
export function decodeClockEvents(mask: number): { readonly names: string[]; readonly degrading: string[] } {
  const names: string[] = [];
  const degrading: string[] = [];
  // Bitwise operators truncate to 32 bits; the mask is judged ≤ 2^32 - 1 by the reading classifier.
  for (let n = 0; n < 32; n++) {
    const bit = 2 ** n;
    if (Math.floor(mask / bit) % 2 !== 1) continue;
    const known = CLOCK_EVENT_REASONS.find((r) => r.bit === bit);
    names.push(known?.name ?? `BIT_${n}`);
    if (known?.degrading) degrading.push(known.name);
  }
  return { names, degrading };
}
