import { Field, Float, Int, ObjectType } from '@nestjs/graphql';
import { GpuScoreStatus } from './gpu-score-status.enum';

@ObjectType()
export class StatusCount {
  @Field(() => GpuScoreStatus) status!: GpuScoreStatus;
  @Field(() => Int) count!: number;
}

@ObjectType()
export class NamespaceScoreStats {
  @Field() namespace!: string;
  @Field(() => Int) count!: number;
  @Field(() => Float, { nullable: true }) averageScore?: number;
  @Field(() => Int, { description: 'GPUs of the namespace that are IDLE or LOW' }) lowCount!: number;
}

@ObjectType()
export class ClusterScoreStats {
  @Field() cluster!: string;
  @Field(() => Int) count!: number;
  @Field(() => Float, { nullable: true }) averageScore?: number;
  @Field(() => Int) lowCount!: number;
  @Field({ description: 'The cluster failed in the latest cycle; its figures are from its last good one' })
  stale!: boolean;
}

@ObjectType({
  description: 'Fleet statistics over the GPUs the caller may see; a time-sliced GPU counts once',
})
export class GpuScoreStats {
  @Field(() => Int) total!: number;
  @Field(() => Float, {
    nullable: true,
    description: 'Average over scored GPUs (UNKNOWN ones have no score)',
  })
  averageScore?: number;
  @Field(() => Float, { nullable: true }) minScore?: number;
  @Field(() => Float, { nullable: true }) maxScore?: number;
  @Field(() => Int, { description: 'IDLE + LOW' }) lowUtilizationCount!: number;
  @Field(() => Int) idleCount!: number;
  @Field(() => [StatusCount]) byStatus!: StatusCount[];
  @Field(() => [NamespaceScoreStats]) byNamespace!: NamespaceScoreStats[];
  @Field(() => [ClusterScoreStats]) byCluster!: ClusterScoreStats[];
  @Field(() => Date, { nullable: true, description: 'When the latest cycle completed' }) computedAt?: Date;
}
