import { Field, Float, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'One analysis cycle' })
export class AnalysisRun {
  @Field(() => Int) id!: number;
  @Field({ description: 'schedule, manual or startup' }) trigger!: string;
  @Field(() => Date) startedAt!: Date;
  @Field(() => Date) completedAt!: Date;
  @Field(() => Float) durationSeconds!: number;
  @Field(() => Int, { description: 'GPUs and MIG instances scored in this cycle' }) gpuCount!: number;
  @Field(() => Int, { description: 'GPUs whose status changed or score moved' }) changedCount!: number;
  @Field(() => [String], {
    description: 'Clusters that failed; their previous results are kept, marked stale',
  })
  failedClusters!: string[];
  @Field(() => String, { nullable: true, description: 'Set when the whole cycle failed' }) error?: string;
  @Field({ description: 'True when a manual trigger joined a cycle that was already running' })
  joined!: boolean;
}
