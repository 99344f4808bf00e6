import { Field, Float, ObjectType } from '@nestjs/graphql';
import { GpuScoreStatus } from '../models/gpu-score-status.enum';

@ObjectType({
  description:
    'The optional AI second opinion (ANALYZER_AI_*): advisory only, it never changes the rule-based status. Present ' +
    'while it answers the GPU’s current state (status, inputs within 5 points, pods) and its confidence reached ' +
    'ANALYZER_AI_THRESHOLD',
})
export class AiAnalysis {
  @Field(() => GpuScoreStatus, { description: 'The status the model gives, on the rule-based scale' })
  status!: GpuScoreStatus;
  @Field(() => Float, { description: '0–1' }) confidence!: number;
  @Field() reason!: string;
  @Field() recommendation!: string;
  @Field(() => Float, { description: 'The model’s utilisation score, 0–100' }) adjustedScore!: number;
  @Field({ description: 'The model that answered' }) model!: string;
  @Field(() => Date) analyzedAt!: Date;
}
