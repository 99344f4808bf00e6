import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import {
  AppConfig,
  CurrentPrincipal,
  CurrentScope,
  type Principal,
  Roles,
  type TenantScope,
} from '@kcloud/common';
import { LeaderLock } from '@kcloud/realtime';
import { AiAnalyzer } from '../ai/ai-analyzer.service';
import { AnalyzerConfigService } from '../analyzer-config.service';
import { AnalysisCycle } from '../cycle/analysis-cycle.service';
import { ScoreStore } from '../cycle/score-store';
import { runForScope } from '../run-view';
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
    private readonly store: ScoreStore,
    private readonly ai: AiAnalyzer,
  ) {}

  @Query(() => AnalyzerConfig, {
    description: 'Scoring weights, thresholds, schedule and webhook settings in force',
  })
  analyzerConfig(@CurrentScope() scope: TenantScope): AnalyzerConfig {
    return this.view(scope);
  }

  @Roles('admin')
  @Mutation(() => AnalysisRun, { description: 'Runs a cycle now (or joins the running one) and returns it' })
  async triggerAnalysis(
    @CurrentScope() scope: TenantScope,
    @Args('useAi', {
      type: () => Boolean,
      nullable: true,
      description:
        'Also ask the AI second opinion now and wait for it (needs ANALYZER_AI_API_URL); statuses stay',
    })
    useAi?: boolean | null,
  ): Promise<AnalysisRun> {
    if (useAi) this.ai.assertConfigured();
    // A manual cycle whose commit lost to another replica's cycle is retried once on the newer state.
    const outcome = (await this.cycle.run('manual')) ?? (await this.cycle.run('manual'));
    if (!outcome) throw new Error('another replica committed a cycle meanwhile; retry');
    if (useAi) await this.ai.analyzeNow();
    return runForScope(outcome.run, this.store.all(), scope, outcome.joined);
  }

  @Roles('admin')
  @Mutation(() => AnalyzerConfig, {
    description: 'Changes scoring and schedule settings; validated as a whole',
  })
  async updateAnalyzerConfig(
    @Args('input') input: UpdateAnalyzerConfigInput,
    @CurrentScope() scope: TenantScope,
    @CurrentPrincipal() principal: Principal | undefined,
  ): Promise<AnalyzerConfig> {
    const { expectedVersion, ...patch } = input;
    await this.config.update(patch, principal?.name ?? 'anonymous', expectedVersion ?? undefined);
    return this.view(scope);
  }

  private view(scope: TenantScope): AnalyzerConfig {
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
      lastRun: last && runForScope(last, this.store.all(), scope),
      leader: this.lock.isLeader(),
      version: this.config.version(),
    };
  }
}
