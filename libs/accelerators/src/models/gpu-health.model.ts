import { Field, Float, Int, ObjectType } from '@nestjs/graphql';
import { registerDescribedEnum } from '@kcloud/common';
import { GpuHealthStatus } from '../health/gpu-health';

registerDescribedEnum(GpuHealthStatus, {
  name: 'GpuHealthStatus',
  description: 'A GPU judged from its dcgm-exporter health families (see GpuHealth.reasons for why)',
  values: {
    HEALTHY: 'Health families read and nothing wrong in them',
    WARNING:
      'A non-critical XID, a hardware clock slowdown (HW_SLOWDOWN, SW/HW_THERMAL, HW_POWER_BRAKE), retired pages, ' +
      'uncorrectable remapped rows, NVLink errors or many PCIe replays',
    CRITICAL: 'A critical XID (e.g. 48, 62, 64, 74, 79, 95), double-bit ECC errors, or a failed row remap',
    UNKNOWN: 'No health family exported for this GPU (e.g. all-smi or nvidia_gpu_exporter clusters)',
  },
});

@ObjectType({
  description:
    'Health from dcgm-exporter. Counts are totals since the driver loaded (DCGM counters); a null field is a family ' +
    'the exporter does not export (ECC, retired pages, NVLink errors and clock events are off in the default CSV) ' +
    'or a refused reading (listed in dataQuality), never a guessed 0',
})
export class GpuHealth {
  @Field(() => GpuHealthStatus) status!: GpuHealthStatus;
  @Field(() => Int, {
    nullable: true,
    description: 'DCGM_FI_DEV_XID_ERRORS: code of the last XID error, 0 = none since the driver loaded',
  })
  lastXid?: number;
  @Field(() => String, { nullable: true, description: "The last XID's meaning (NVIDIA's XID catalogue)" })
  lastXidDescription?: string;
  @Field(() => Float, {
    nullable: true,
    description: 'DCGM_FI_DEV_ECC_DBE_VOL_TOTAL: double-bit ECC errors, count',
  })
  eccDoubleBitVolatileCount?: number;
  @Field(() => Float, {
    nullable: true,
    description: 'DCGM_FI_DEV_ECC_SBE_VOL_TOTAL: single-bit ECC errors, count',
  })
  eccSingleBitVolatileCount?: number;
  @Field(() => Float, {
    nullable: true,
    description: 'DCGM_FI_DEV_RETIRED_DBE: pages retired for double-bit errors, count (pre-Ampere GPUs)',
  })
  retiredPagesDoubleBitCount?: number;
  @Field(() => Float, {
    nullable: true,
    description: 'DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS: rows remapped for uncorrectable errors, count',
  })
  remappedRowsUncorrectableCount?: number;
  @Field(() => Boolean, { nullable: true, description: 'DCGM_FI_DEV_ROW_REMAP_FAILURE: a row remap failed' })
  rowRemapFailure?: boolean;
  @Field(() => [String], {
    description:
      'DCGM_FI_DEV_CLOCKS_EVENT_REASONS (or the older DCGM_FI_DEV_CLOCK_THROTTLE_REASONS) decoded: GPU_IDLE, ' +
      'CLOCKS_SETTING, SW_POWER_CAP, HW_SLOWDOWN, SYNC_BOOST, SW_THERMAL, HW_THERMAL, HW_POWER_BRAKE, DISPLAY_CLOCKS; ' +
      'empty when none is active or the family is not exported',
  })
  throttleReasons!: string[];
  @Field(() => Float, { nullable: true, description: 'DCGM_FI_DEV_PCIE_REPLAY_COUNTER: PCIe retries, count' })
  pcieReplayCount?: number;
  @Field(() => Float, {
    nullable: true,
    description:
      'Sum of the NVLink CRC flit/data, replay and recovery error counters that are exported, count',
  })
  nvlinkErrorCount?: number;
  @Field(() => [String], { description: 'Why the status is not HEALTHY, worst first' })
  reasons!: string[];
}
