import { Field, Float, Int, ObjectType } from '@nestjs/graphql';
import { AnalysisRun } from './analysis-run.model';

@ObjectType()
export class ScoreWeights {
  @Field(() => Float) utilization!: number;
  @Field(() => Float) memoryCopy!: number;
  @Field(() => Float) memoryUsed!: number;
  @Field(() => Float) power!: number;
}

@ObjectType({ description: 'idle < idle ≤ low < low ≤ normal < high ≤ high (score, 0–100)' })
export class ScoreThresholds {
  @Field(() => Float) idle!: number;
  @Field(() => Float) low!: number;
  @Field(() => Float) high!: number;
}

@ObjectType({ description: 'Outbound webhooks; URLs are not shown (chat webhooks carry tokens)' })
export class WebhookSettings {
  @Field() controlApiConfigured!: boolean;
  @Field() alertWebhookConfigured!: boolean;
  @Field(() => Int) timeoutMs!: number;
  @Field(() => Int) retries!: number;
  @Field(() => Int) cooldownSeconds!: number;
}

@ObjectType()
export class AnalyzerConfig {
  @Field({ description: 'Whether scheduled analysis runs (manual triggers always work)' }) enabled!: boolean;
  @Field(() => ScoreWeights) weights!: ScoreWeights;
  @Field(() => ScoreThresholds) thresholds!: ScoreThresholds;
  @Field(() => Int) intervalSeconds!: number;
  @Field(() => Int) windowSeconds!: number;
  @Field(() => Float, { description: 'Default score move that fires gpuScoreChanged' }) minDelta!: number;
  @Field(() => Float, {
    description: 'Below this utilisation and memory copy (%) a GPU is idle whatever it holds',
  })
  idleActivityPercent!: number;
  @Field(() => Int) stalenessSeconds!: number;
  @Field(() => Float) defaultPowerLimitWatts!: number;
  @Field(() => WebhookSettings) webhooks!: WebhookSettings;
  @Field(() => AnalysisRun, { nullable: true }) lastRun?: AnalysisRun;
  @Field({ description: 'This replica runs the scheduled cycles (holds the leader lock)' }) leader!: boolean;
  @Field(() => Int, {
    description: 'Stored version of these settings (0: ANALYZER_* as configured); shared by every replica',
  })
  version!: number;
}
