import { Field, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({
  description:
    'A running pod that requested more GPUs (kube-state-metrics) than the devices naming it account for',
})
export class UnmatchedGpuRequest {
  @Field() cluster!: string;
  @Field() namespace!: string;
  @Field() pod!: string;
  @Field(() => String, { nullable: true }) node?: string;
  @Field(() => Int, { description: 'Whole GPUs and MIG slices requested, over all containers' })
  requestedGpus!: number;
  @Field(() => Int, { description: 'Devices whose exporter labels name the pod' }) attributedGpus!: number;
  @Field() reason!: string;
}
