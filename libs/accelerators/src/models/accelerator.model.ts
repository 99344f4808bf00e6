import { Field, Float, ID, InterfaceType, Int, registerEnumType } from '@nestjs/graphql';

export enum AcceleratorKind {
  GPU = 'GPU',
  NPU = 'NPU',
}
registerEnumType(AcceleratorKind, {
  name: 'AcceleratorKind',
  description: 'The kind of an accelerator device',
});

/**
 * What every accelerator device has in common, so one query lists a node's GPUs and NPUs together. The concrete
 * types add their own fields (MIG and DCGM profiling for Gpu, cores and board sensors for Npu).
 */
@InterfaceType({
  description: 'A GPU or NPU device (or a GPU MIG instance)',
  // Values are plain objects, so the type is named from their kind rather than their class.
  resolveType: (value: { kind: AcceleratorKind }) => (value.kind === AcceleratorKind.NPU ? 'Npu' : 'Gpu'),
})
export abstract class Accelerator {
  @Field(() => ID, { description: 'Unique key: the UUID, or UUID/migInstanceId for a GPU MIG instance' })
  id!: string;
  @Field(() => AcceleratorKind) kind!: AcceleratorKind;
  @Field({ description: 'nvidia, apple, amd, furiosa, rebellions, …' }) vendor!: string;
  @Field(() => ID, { description: 'Device UUID as its exporter reports it (GPUs: GPU-…)' }) uuid!: string;
  @Field() model!: string;
  @Field() cluster!: string;
  @Field() node!: string;
  @Field(() => Int, { description: 'Device index on its node' }) index!: number;
  @Field(() => String, { nullable: true, description: 'Tenant namespace when allocated to a pod' })
  namespace?: string;
  @Field(() => String, { nullable: true }) pod?: string;
  @Field(() => String, { nullable: true }) container?: string;
  @Field(() => Float, { nullable: true, description: 'Device utilisation, 0–100' })
  utilizationPercent?: number;
  @Field(() => Float, { nullable: true }) memoryUsedMiB?: number;
  @Field(() => Float, { nullable: true }) memoryTotalMiB?: number;
  @Field(() => Float, { nullable: true }) powerWatts?: number;
  @Field(() => Float, { nullable: true }) temperatureCelsius?: number;
  @Field(() => Date, { description: 'When the newest metric of this device was observed' }) observedAt!: Date;
}
