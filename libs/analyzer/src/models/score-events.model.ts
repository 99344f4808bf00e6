import { Field, Float, ObjectType, registerEnumType } from '@nestjs/graphql';
import { AnalysisRun } from './analysis-run.model';
import { GpuScoreStats } from './gpu-score-stats.model';
import { GpuScoreStatus } from './gpu-score-status.enum';
import { GpuScore } from './gpu-score.model';

export enum GpuScoreChangeKind {
  APPEARED = 'APPEARED',
  STATUS_CHANGED = 'STATUS_CHANGED',
  SCORE_MOVED = 'SCORE_MOVED',
}
registerEnumType(GpuScoreChangeKind, { name: 'GpuScoreChangeKind' });

@ObjectType()
export class GpuScoreChange {
  @Field(() => GpuScoreChangeKind) kind!: GpuScoreChangeKind;
  @Field(() => GpuScore) gpu!: GpuScore;
  @Field(() => GpuScoreStatus, { nullable: true }) previousStatus?: GpuScoreStatus;
  @Field(() => Float, { nullable: true }) previousScore?: number;
  @Field(() => Float, { nullable: true, description: 'score − previousScore' }) scoreDelta?: number;
}

@ObjectType()
export class AnalysisCompleted {
  @Field(() => AnalysisRun) run!: AnalysisRun;
  @Field(() => Float) durationSeconds!: number;
  @Field(() => GpuScoreStats, { description: 'Over the GPUs the subscriber may see' }) stats!: GpuScoreStats;
}
