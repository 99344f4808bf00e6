import { DCGM_INT32_BLANK } from '../quality/reading-value';
import { InvalidReadingReason } from '../quality/reading-quality';
import { DCGM_SERIES_FAMILIES, METRIC_LABEL } from './dcgm-families';
import { joinGpuSamples } from './gpu-join';
import { gpuValuesQuery } from './gpu-queries';
import { PLAIN } from './tenant-labels';
import { firstN } from '../testing/first-n';

const identity = [{ labels: { gpu: '0', UUID: 'GPU-a', Hostname: 'n1', modelName: 'H100' }, value: 1 }];
const value = (family: string, v: number) => ({
  labels: { [METRIC_LABEL]: family, UUID: 'GPU-a' },
  value: v,
});

describe('GPU health families in the batched value read', () => {
  it('asks for every health family (current and pre-3.3 clock-event names) in the one values selector', () => {
    const q = String(gpuValuesQuery([]));
    for (const family of [
      'DCGM_FI_DEV_MEM_CLOCK',
      'DCGM_FI_DEV_XID_ERRORS',
      'DCGM_FI_DEV_ECC_DBE_VOL_TOTAL',
      'DCGM_FI_DEV_ECC_SBE_VOL_TOTAL',
      'DCGM_FI_DEV_RETIRED_DBE',
      'DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS',
      'DCGM_FI_DEV_ROW_REMAP_FAILURE',
      'DCGM_FI_DEV_CLOCKS_EVENT_REASONS',
      'DCGM_FI_DEV_CLOCK_THROTTLE_REASONS',
      'DCGM_FI_DEV_PCIE_REPLAY_COUNTER',
      'DCGM_FI_DEV_NVLINK_CRC_FLIT_ERROR_COUNT_TOTAL',
      'DCGM_FI_DEV_NVLINK_RECOVERY_ERROR_COUNT_TOTAL',
    ])
      expect(q).toContain(family);
  });

  it('leaves the health families out of range reads (history, exports), keeping the memory clock', () => {
    const q = String(gpuValuesQuery([], DCGM_SERIES_FAMILIES));
    expect(q).not.toContain('XID');
    expect(q).not.toContain('ECC');
    expect(q).not.toContain('CLOCK_THROTTLE');
    expect(q).toContain('DCGM_FI_DEV_MEM_CLOCK');
    expect(q).toContain('DCGM_FI_DEV_GPU_UTIL');
  });

  it('joins the health values into the sample by UUID', () => {
    const [s] = firstN(
      joinGpuSamples(
        'c',
        identity,
        [
          value('DCGM_FI_DEV_MEM_CLOCK', 2619),
          value('DCGM_FI_DEV_XID_ERRORS', 79),
          value('DCGM_FI_DEV_ECC_DBE_VOL_TOTAL', 2),
          value('DCGM_FI_DEV_CLOCK_THROTTLE_REASONS', 8),
          value('DCGM_FI_DEV_PCIE_REPLAY_COUNTER', 5),
        ],
        PLAIN,
        /dcgm-exporter/,
      ),
      1,
    );
    expect(s).toMatchObject({
      memoryClockMHz: 2619,
      lastXid: 79,
      eccDoubleBitVolatileCount: 2,
      clocksEventReasonsMask: 8,
      pcieReplayCount: 5,
    });
  });

  it('leaves families that are not exported absent (not 0) and refuses a DCGM blank with a reason', () => {
    const [s] = firstN(
      joinGpuSamples(
        'c',
        identity,
        [value('DCGM_FI_DEV_XID_ERRORS', DCGM_INT32_BLANK)],
        PLAIN,
        /dcgm-exporter/,
      ),
      1,
    );
    expect(s.lastXid).toBeUndefined();
    expect(s.eccDoubleBitVolatileCount).toBeUndefined();
    expect(s.invalidReadings).toEqual([{ field: 'lastXid', reason: InvalidReadingReason.DCGM_BLANK }]);
  });
});
