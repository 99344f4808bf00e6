import { FleetModelError } from './errors';

/**
 * The health fields dcgm-exporter reports per GPU, as the simulator holds them: counters since the driver loaded,
 * the last XID, the clock-event bitmask. A healthy GPU has them all at 0; faults are injected per GPU on demand.
 */
export interface SimGpuHealth {
  /** DCGM_FI_DEV_XID_ERRORS: the last XID code, 0 = none. */
  readonly xid: number;
  readonly eccSbeVolatile: number;
  readonly eccDbeVolatile: number;
  readonly retiredPagesDbe: number;
  readonly correctableRemappedRows: number;
  readonly uncorrectableRemappedRows: number;
  /** DCGM_FI_DEV_ROW_REMAP_FAILURE: 0 or 1. */
  readonly rowRemapFailure: number;
  /** DCGM_FI_DEV_CLOCKS_EVENT_REASONS bitmask (CLOCK_EVENT_BITS). */
  readonly clocksEventReasons: number;
  readonly pcieReplays: number;
  readonly nvlinkCrcFlitErrors: number;
  readonly nvlinkCrcDataErrors: number;
  readonly nvlinkReplayErrors: number;
  readonly nvlinkRecoveryErrors: number;
}

export const HEALTHY: SimGpuHealth = {
  xid: 0,
  eccSbeVolatile: 0,
  eccDbeVolatile: 0,
  retiredPagesDbe: 0,
  correctableRemappedRows: 0,
  uncorrectableRemappedRows: 0,
  rowRemapFailure: 0,
  clocksEventReasons: 0,
  pcieReplays: 0,
  nvlinkCrcFlitErrors: 0,
  nvlinkCrcDataErrors: 0,
  nvlinkReplayErrors: 0,
  nvlinkRecoveryErrors: 0,
};

/** DCGM_CLOCKS_EVENT_REASON_* (dcgm_fields.h), by the name the control API takes. */
export const CLOCK_EVENT_BITS: Readonly<Record<string, number>> = {
  GPU_IDLE: 0x1,
  CLOCKS_SETTING: 0x2,
  SW_POWER_CAP: 0x4,
  HW_SLOWDOWN: 0x8,
  SYNC_BOOST: 0x10,
  SW_THERMAL: 0x20,
  HW_THERMAL: 0x40,
  HW_POWER_BRAKE: 0x80,
  DISPLAY_CLOCKS: 0x100,
};

/** The bitmask of named clock-event reasons; an unknown name is a user error. */
export function clockEventMask(names: readonly string[]): number {
  let mask = 0;
  for (const name of names) {
    const bit = CLOCK_EVENT_BITS[name];
    if (bit === undefined)
      throw new FleetModelError(
        'BAD_USER_INPUT',
        `unknown clock event reason ${name}; one of ${Object.keys(CLOCK_EVENT_BITS).join(', ')}`,
      );
    mask |= bit;
  }
  return mask;
}

/** Faults injected per physical GPU (all its MIG instances report them, as DCGM reports them per GPU). */
export class GpuFaults {
  private readonly byUuid = new Map<string, Partial<SimGpuHealth>>();

  /** Merges into the GPU's current fault (fields not named keep their injected or healthy value). */
  set(uuid: string, fault: Partial<SimGpuHealth>): void {
    this.byUuid.set(uuid, { ...this.byUuid.get(uuid), ...fault });
  }

  /** Clears one GPU's faults, or every GPU's when no UUID is given. */
  clear(uuid?: string): void {
    if (uuid === undefined) this.byUuid.clear();
    else this.byUuid.delete(uuid);
  }

  healthOf(uuid: string): SimGpuHealth {
    const fault = this.byUuid.get(uuid);
    return fault ? { ...HEALTHY, ...fault } : HEALTHY;
  }

  has(uuid: string): boolean {
    return this.byUuid.has(uuid);
  }
}
