import type { GpuSample } from '@kcloud/metrics-source';
import { decodeClockEvents } from './clock-events';
import { gpuHealth, GpuHealthStatus, keepHealth, PCIE_REPLAY_WARNING } from './gpu-health';

const base: GpuSample = {
  cluster: 'c',
  node: 'n',
  uuid: 'GPU-a',
  index: 0,
  model: 'H100',
  observedAt: new Date(0),
};
const healthy: GpuSample = {
  ...base,
  lastXid: 0,
  eccSingleBitVolatileCount: 0,
  eccDoubleBitVolatileCount: 0,
  retiredPagesDoubleBitCount: 0,
  remappedRowsUncorrectableCount: 0,
  rowRemapFailureFlag: 0,
  clocksEventReasonsMask: 0,
  pcieReplayCount: 0,
  nvlinkCrcFlitErrorCount: 0,
};

describe('gpuHealth', () => {
  it.each<[string, Partial<GpuSample>, GpuHealthStatus, string | undefined]>([
    ['all counters at 0 and XID 0', {}, GpuHealthStatus.HEALTHY, undefined],
    [
      'XID 79 (fallen off the bus)',
      { lastXid: 79 },
      GpuHealthStatus.CRITICAL,
      'XID 79: GPU has fallen off the bus',
    ],
    ['XID 48 (double-bit ECC)', { lastXid: 48 }, GpuHealthStatus.CRITICAL, 'XID 48: Double Bit ECC Error'],
    ['XID 95 (uncontained ECC)', { lastXid: 95 }, GpuHealthStatus.CRITICAL, 'XID 95: Uncontained ECC error'],
    [
      'XID 13 (an application fault)',
      { lastXid: 13 },
      GpuHealthStatus.WARNING,
      'XID 13: Graphics Engine Exception',
    ],
    ['an XID outside the catalogue', { lastXid: 777 }, GpuHealthStatus.WARNING, 'XID 777: Unknown XID'],
    [
      'double-bit ECC errors',
      { eccDoubleBitVolatileCount: 2 },
      GpuHealthStatus.CRITICAL,
      '2 double-bit ECC error(s) since the driver loaded',
    ],
    ['a failed row remap', { rowRemapFailureFlag: 1 }, GpuHealthStatus.CRITICAL, 'row remapping failed'],
    [
      'HW slowdown',
      { clocksEventReasonsMask: 0x8 },
      GpuHealthStatus.WARNING,
      'clocks reduced by HW_SLOWDOWN',
    ],
    ['idle + SW power cap only', { clocksEventReasonsMask: 0x5 }, GpuHealthStatus.HEALTHY, undefined],
    [
      'NVLink CRC errors',
      { nvlinkCrcDataErrorCount: 3 },
      GpuHealthStatus.WARNING,
      '3 NVLink error(s) since the driver loaded',
    ],
    ['a few PCIe replays', { pcieReplayCount: PCIE_REPLAY_WARNING - 1 }, GpuHealthStatus.HEALTHY, undefined],
    [
      'many PCIe replays',
      { pcieReplayCount: PCIE_REPLAY_WARNING },
      GpuHealthStatus.WARNING,
      `${PCIE_REPLAY_WARNING} PCIe replays`,
    ],
    [
      'uncorrectable remapped rows',
      { remappedRowsUncorrectableCount: 1 },
      GpuHealthStatus.WARNING,
      '1 row(s) remapped for uncorrectable errors',
    ],
  ])('judges %s', (_, fields, status, reason) => {
    const h = gpuHealth({ ...healthy, ...fields });
    expect(h.status).toBe(status);
    expect(h.reasons[0]).toBe(reason);
  });

  it('puts critical reasons before warnings', () => {
    const h = gpuHealth({ ...healthy, clocksEventReasonsMask: 0x40, lastXid: 79 });
    expect(h.status).toBe(GpuHealthStatus.CRITICAL);
    expect(h.reasons).toEqual(['XID 79: GPU has fallen off the bus', 'clocks reduced by HW_THERMAL']);
  });

  it('is UNKNOWN with null fields (never 0) when no health family is exported', () => {
    const h = gpuHealth(base);
    expect(h).toEqual({ status: GpuHealthStatus.UNKNOWN, throttleReasons: [], reasons: [] });
  });

  it('sums only the NVLink counters that are exported', () => {
    expect(
      gpuHealth({ ...base, nvlinkCrcFlitErrorCount: 1, nvlinkReplayErrorCount: 2 }).nvlinkErrorCount,
    ).toBe(3);
    expect(gpuHealth({ ...base, lastXid: 0 }).nvlinkErrorCount).toBeUndefined();
  });

  it('filters by status, an empty or absent list keeping every GPU', () => {
    const faulty = { ...healthy, lastXid: 79 };
    expect(keepHealth(faulty, [GpuHealthStatus.CRITICAL])).toBe(true);
    expect(keepHealth(healthy, [GpuHealthStatus.CRITICAL])).toBe(false);
    expect(keepHealth(healthy, [])).toBe(true);
    expect(keepHealth(healthy, undefined)).toBe(true);
  });
});

describe('decodeClockEvents', () => {
  it('names every set bit in bit order and keeps undefined bits as BIT_<n>', () => {
    expect(decodeClockEvents(0)).toEqual({ names: [], degrading: [] });
    expect(decodeClockEvents(0x1 | 0x8 | 0x40 | 0x100)).toEqual({
      names: ['GPU_IDLE', 'HW_SLOWDOWN', 'HW_THERMAL', 'DISPLAY_CLOCKS'],
      degrading: ['HW_SLOWDOWN', 'HW_THERMAL'],
    });
    expect(decodeClockEvents(2 ** 31).names).toEqual(['BIT_31']);
  });
});
