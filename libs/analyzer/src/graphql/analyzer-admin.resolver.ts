import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AppConfig, Roles } from '@kcloud/common';
import { LeaderLock } from '@kcloud/realtime';
import { AnalyzerConfigService } from '../analyzer-config.service';
import { AnalysisCycle } from '../cycle/analysis-cycle.service';
import { UpdateAnalyzerConfigInput } from '../dto/update-analyzer-config.input';
import { AnalysisRun } from '../models/analysis-run.model';
import { AnalyzerConfig } from '../models/analyzer-config.model';

@Resolver(() => AnalyzerConfig)
export class AnalyzerAdminResolver {
  constructor(
    private readonly config: AnalyzerConfigService,
    private readonly cycle: AnalysisCycle,
    private readonly app: AppConfig,
    private readonly lock: LeaderLock,
  ) {}

  @Query(() => AnalyzerConfig, {
    description: 'Scoring weights, thresholds, schedule and webhook settings in force',
  })
  analyzerConfig(): AnalyzerConfig {
    return this.view();
  }

  @Roles('admin')
  @Mutation(() => AnalysisRun, { description: 'Runs a cycle now (or joins the running one) and returns it' })
  async triggerAnalysis(): Promise<AnalysisRun> {
    const { run, joined } = (await this.cycle.run('manual'))!;
    return { ...run, failedClusters: [...run.failedClusters], joined };
  }

  @Roles('admin')
  @Mutation(() => AnalyzerConfig, {
    description: 'Changes scoring and schedule settings; validated as a whole',
  })
  updateAnalyzerConfig(@Args('input') input: UpdateAnalyzerConfigInput): AnalyzerConfig {
    this.config.update({ ...input });
    return this.view();
  }

  private view(): AnalyzerConfig {
    const c = this.config.current();
    const w = this.app.analyzer.webhooks;
    const last = this.cycle.lastRun();
    return {
      enabled: this.app.analyzer.enabled,
      weights: { ...c.scoring.weights },
      thresholds: { ...c.scoring.thresholds },
      intervalSeconds: c.intervalSeconds,
      windowSeconds: c.windowSeconds,
      minDelta: c.minDelta,
      idleActivityPercent: c.scoring.idleActivityPercent,
      stalenessSeconds: c.scoring.stalenessSeconds,
      defaultPowerLimitWatts: c.scoring.defaultPowerLimitWatts,
      webhooks: {
        controlApiConfigured: !!w.controlApiUrl,
        alertWebhookConfigured: !!w.alertWebhookUrl,
        timeoutMs: w.timeoutMs,
        retries: w.retries,
        cooldownSeconds: w.cooldownSeconds,
      },
      lastRun: last && { ...last, failedClusters: [...last.failedClusters], joined: false },
      leader: this.lock.isLeader(),
    };
  }
}
