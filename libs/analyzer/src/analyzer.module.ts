import { Module } from '@nestjs/common';
import { ClusterLabelResolution } from '@kcloud/metrics-source';
import { Clock } from '@kcloud/common';
import { MetricsSourceModule } from '@kcloud/metrics-source';
import { ActivityMetrics } from './activity/activity-metrics';
import { ActivityTracker } from './activity/activity-tracker.service';
import { GpuAllocationResolver } from './activity/gpu-allocation.resolver';
import { GpuAllocationService } from './activity/gpu-allocation.service';
import { aiProviders } from './ai/ai.providers';
import { AnalyzerConfigService } from './analyzer-config.service';
import { AnalyzerService } from './analyzer.service';
import { AnalysisCycle } from './cycle/analysis-cycle.service';
import { AnalyzerStateStore } from './cycle/analyzer-state.store';
import { AnalyzerEvents } from './cycle/analyzer-events';
import { analysisMetricProviders } from './cycle/analyzer.metrics';
import { AnalyzerScheduler } from './cycle/analyzer.scheduler';
import { ScoreStore } from './cycle/score-store';
import { idleProviders } from './idle/idle.providers';
import { IdleUsageService } from './idle/idle-usage.service';
import { ScoreMetricsExporter } from './export/score-metrics.exporter';
import { scoreMetricProviders } from './export/score-metrics.providers';
import { AnalyzerAdminResolver } from './graphql/analyzer-admin.resolver';
import { GpuHistoryStatusResolver } from './graphql/gpu-history-status.resolver';
import { GpuScoreFieldResolver } from './graphql/gpu-score-field.resolver';
import { GpuScoreResolver } from './graphql/gpu-score.resolver';
import { ScoreSubscriptionResolver } from './graphql/score-subscription.resolver';
import { ScoreSubscriptions } from './score-subscriptions.service';
import { webhookMetricProviders, WebhookNotifier } from './webhooks/webhook-notifier';
import { WebhookSender } from './webhooks/webhook-sender';

/**
 * GPU analyzer: scheduled scoring over window aggregates, results and stats, score subscriptions, exported gauges and
 * webhooks. Needs the global ConfigModule, ScheduleModule.forRoot() and RealtimeModule (PubSub, leader lock).
 */
@Module({
  imports: [MetricsSourceModule],
  providers: [
    Clock,
    ClusterLabelResolution,
    AnalyzerConfigService,
    ScoreStore,
    AnalyzerStateStore,
    AnalyzerEvents,
    AnalysisCycle,
    ActivityTracker,
    ActivityMetrics,
    GpuAllocationService,
    GpuAllocationResolver,
    AnalyzerScheduler,
    AnalyzerService,
    ScoreSubscriptions,
    ScoreMetricsExporter,
    WebhookSender,
    WebhookNotifier,
    ...analysisMetricProviders,
    ...scoreMetricProviders,
    ...webhookMetricProviders,
    GpuScoreResolver,
    GpuScoreFieldResolver,
    GpuHistoryStatusResolver,
    ScoreSubscriptionResolver,
    AnalyzerAdminResolver,
    ...idleProviders,
    ...aiProviders,
  ],
  exports: [IdleUsageService, AnalyzerService, AnalysisCycle],
})
export class AnalyzerModule {}
