import { IntersectionType } from '@nestjs/mapped-types';
import { AccessEnv } from './env/access.env';
import { ActivityEnv } from './env/activity.env';
import { AnalyzerAiEnv } from './env/analyzer-ai.env';
import { AnalyzerWebhooksEnv } from './env/analyzer-webhooks.env';
import { AnalyzerEnv } from './env/analyzer.env';
import { CacheEnv } from './env/cache.env';
import { DataQualityEnv } from './env/data-quality.env';
import { DataSourceEnv } from './env/data-source.env';
import { ExportEnv } from './env/export.env';
import { GraphqlEnv } from './env/graphql.env';
import { IdleAccountingEnv } from './env/idle-accounting.env';
import { LimitsEnv } from './env/limits.env';
import { PowerEnv } from './env/power.env';
import { PrometheusEnv } from './env/prometheus.env';
import { ResilienceEnv } from './env/resilience.env';
import { ServerEnv } from './env/server.env';

/**
 * Every environment variable the API reads, validated at boot. Names are the env names; `AppConfig` maps them once
 * into the typed nested object services inject. Each domain declares its variables in `env/<domain>.env.ts`; add a
 * variable there (or a new domain class here) so there is still one config source. The order below is the order in
 * which a boot refusal lists the bad variables.
 */
export class EnvSchema extends IntersectionType(
  ServerEnv,
  PrometheusEnv,
  CacheEnv,
  DataSourceEnv,
  GraphqlEnv,
  AccessEnv,
  LimitsEnv,
  ExportEnv,
  DataQualityEnv,
  AnalyzerEnv,
  ActivityEnv,
  AnalyzerWebhooksEnv,
  AnalyzerAiEnv,
  IdleAccountingEnv,
  PowerEnv,
  ResilienceEnv,
) {}
