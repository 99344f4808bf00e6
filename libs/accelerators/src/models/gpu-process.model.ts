import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({
  description:
    'A process on a GPU, where the exporter reports processes (all-smi with --processes, nvidia_gpu_exporter). ' +
    'Node, GPU index and tenant come from the GPU it runs on',
})
export class GpuProcess {
  @Field() cluster!: string;
  @Field(() => String, { nullable: true, description: 'Null when no GPU exporter reports the GPU' })
  node?: string;
  @Field(() => ID, { description: 'NVML UUID of the GPU (MIG processes: the parent GPU)' }) gpuUuid!: string;
  @Field(() => Int, { nullable: true }) gpuIndex?: number;
  @Field(() => String, {
    nullable: true,
    description: 'Tenant of the GPU, when the GPU exporter reports one',
  })
  namespace?: string;
  @Field(() => String, { nullable: true }) pod?: string;
  @Field(() => String, { nullable: true }) container?: string;
  @Field(() => Int) pid!: number;
  @Field() processName!: string;
  @Field(() => String, { nullable: true, description: 'all-smi ≥ 0.21 only' }) user?: string;
  @Field(() => String, { nullable: true, description: 'all-smi ≥ 0.21 only' }) command?: string;
  @Field(() => Float, { nullable: true }) gpuMemoryUsedMiB?: number;
  @Field(() => Float, {
    nullable: true,
    description: 'Share of one CPU core, may exceed 100 (all-smi ≥ 0.21 only)',
  })
  cpuPercent?: number;
  @Field(() => Float, {
    nullable: true,
    description: 'Share of host memory: always null, none of the supported exporters reports it',
  })
  memoryPercent?: number;
  @Field(() => Date) observedAt!: Date;
}
