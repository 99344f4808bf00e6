import { Field, Int, ObjectType } from '@nestjs/graphql';
import { Gpu } from '../models/gpu.model';

@ObjectType({
  description:
    'One pushed snapshot of GPU readings; every subscriber of the same (filter, interval, first, scope) gets the same ' +
    'sequence from one upstream read',
})
export class GpuMetricsSnapshot {
  @Field(() => Int, { description: 'Increases by one per computed snapshot of this stream' })
  sequence!: number;
  @Field(() => Int) intervalSeconds!: number;
  @Field(() => Int, {
    description: 'GPUs and MIG instances matching the filter (gpus holds the first `first`)',
  })
  totalCount!: number;
  @Field(() => [Gpu], { description: 'In the order of the gpus query; dataQuality comes with the snapshot' })
  gpus!: Gpu[];
  @Field(() => [String], { description: 'Clusters that did not answer for this snapshot' })
  unavailableClusters!: string[];
  @Field(() => Date, { description: 'When the snapshot was read' }) observedAt!: Date;
}
