import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { Accelerator, AcceleratorKind } from './accelerator.model';
import { GpuHealth } from './gpu-health.model';

@ObjectType({
  implements: () => [Accelerator],
  description:
    'A GPU, or one MIG instance of a GPU (then migProfile/migInstanceId are set). Read from dcgm-exporter, or per ' +
    'cluster from all-smi or nvidia_gpu_exporter; those report no pod attribution, DCGM profiling or MIG instances, ' +
    'so the fields they lack are null',
})
export class Gpu implements Accelerator {
  @Field(() => ID, { description: 'Unique key: the UUID, or UUID/migInstanceId for a MIG instance' })
  id!: string;
  @Field(() => AcceleratorKind) kind!: AcceleratorKind.GPU;
  @Field({ description: 'nvidia, or what all-smi reports (apple, amd, intel)' }) vendor!: string;
  @Field(() => ID, { description: 'NVML UUID of the physical GPU (GPU-…)' }) uuid!: string;
  @Field(() => Int) index!: number;
  @Field() cluster!: string;
  @Field() node!: string;
  @Field() model!: string;
  @Field(() => String, { nullable: true }) driverVersion?: string;
  @Field(() => String, { nullable: true }) pciBusId?: string;
  @Field(() => String, { nullable: true, description: 'MIG profile, e.g. 1g.10gb' }) migProfile?: string;
  @Field(() => String, { nullable: true, description: 'MIG GPU-instance id' }) migInstanceId?: string;
  @Field(() => String, { nullable: true, description: 'Tenant namespace when allocated to a pod' })
  namespace?: string;
  @Field(() => String, { nullable: true }) pod?: string;
  @Field(() => String, { nullable: true }) container?: string;
  @Field(() => Float, { nullable: true, description: 'GPU utilisation, 0–100 (null for MIG instances)' })
  utilizationPercent?: number;
  @Field(() => Float, {
    nullable: true,
    description: 'Memory copy utilisation, 0–100 (null for MIG instances)',
  })
  memoryCopyUtilizationPercent?: number;
  @Field(() => Float, { nullable: true }) memoryUsedMiB?: number;
  @Field(() => Float, { nullable: true }) memoryFreeMiB?: number;
  @Field(() => Float, { nullable: true, description: 'used + free + reserved framebuffer' })
  memoryTotalMiB?: number;
  @Field(() => Float, { nullable: true }) powerWatts?: number;
  @Field(() => Float, { nullable: true, description: 'Power management limit reported by the exporter' })
  powerLimitWatts?: number;
  @Field(() => Float, { nullable: true }) temperatureCelsius?: number;
  @Field(() => Float, { nullable: true }) smClockMHz?: number;
  @Field(() => Float, { nullable: true, description: 'Energy since the driver was loaded, joules' })
  energyJoules?: number;
  @Field(() => Float, { nullable: true, description: 'Graphics engine active, 0–100 (DCGM profiling)' })
  graphicsEngineActivePercent?: number;
  @Field(() => Float, { nullable: true, description: 'DRAM interface active, 0–100 (DCGM profiling)' })
  dramActivePercent?: number;
  @Field(() => Float, { nullable: true, description: 'Memory clock, MHz (DCGM_FI_DEV_MEM_CLOCK)' })
  memoryClockMHz?: number;
  @Field(() => GpuHealth, {
    description: 'XID, ECC, row-remap, clock-event, PCIe and NVLink health (dcgm-exporter)',
  })
  health!: GpuHealth;
  @Field(() => Date, { description: 'When the newest metric of this GPU was observed' }) observedAt!: Date;
}
