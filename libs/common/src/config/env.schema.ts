import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min } from 'class-validator';
import { TENANT_LABEL_MODES, type TenantLabelMode } from './cluster-config';

const toBool = ({ value }: { value: unknown }): unknown =>
  value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value;

/**
 * Every environment variable the API reads, validated at boot. Names are the env names; `AppConfig` maps them once
 * into the typed nested object services inject. Libraries add their variables here so there is one config source.
 */
export class EnvSchema {
  @IsOptional()
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'log', 'debug', 'verbose'])
  LOG_LEVEL: 'fatal' | 'error' | 'warn' | 'log' | 'debug' | 'verbose' = 'log';

  // --- Prometheus / clusters
  @IsOptional()
  @IsUrl(
    { require_tld: false, protocols: ['http', 'https'], require_protocol: true },
    { message: 'PROMETHEUS_URL must be an http(s) URL' },
  )
  PROMETHEUS_URL?: string;

  /** JSON list `[{name,url,auth?,timeoutMs?,labels?,tenantLabels?,clusterLabelValue?}]`; validated in AppConfig. */
  @IsOptional()
  @IsString()
  PROMETHEUS_CLUSTERS?: string;

  /** Label that names the cluster on a global endpoint (Thanos/Mimir/VictoriaMetrics). */
  @IsOptional()
  @Matches(/^[a-zA-Z_][a-zA-Z0-9_]*$/, { message: 'CLUSTER_LABEL must be a Prometheus label name' })
  CLUSTER_LABEL?: string;

  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(120000)
  PROMETHEUS_TIMEOUT_MS = 10000;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(5)
  PROMETHEUS_RETRIES = 2;

  @IsOptional()
  @IsIn(TENANT_LABEL_MODES)
  DCGM_TENANT_LABELS: TenantLabelMode = 'auto';

  /** Plain `pod` values matching this are the exporter's own pod, never a tenant (exported-shape scrape guard). */
  @IsOptional()
  @IsString()
  DCGM_EXPORTER_POD_PATTERN = 'dcgm-exporter';

  // --- Cache
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(86400)
  CACHE_TTL_STATIC_SECONDS = 3600;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3600)
  CACHE_TTL_REALTIME_SECONDS = 30;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(86400)
  CACHE_TTL_TIMESERIES_SECONDS = 300;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3600)
  CACHE_TTL_SUMMARY_SECONDS = 60;

  @IsOptional()
  @IsUrl(
    { require_tld: false, protocols: ['redis', 'rediss'], require_protocol: true },
    { message: 'REDIS_URL must be a redis:// URL' },
  )
  REDIS_URL?: string;

  // --- Simulated source (the embedded default when no Prometheus is configured)
  @IsOptional()
  @IsString()
  SIM_SCENARIO?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  SIM_SEED?: number;

  // --- GraphQL
  @Transform(toBool)
  @IsBoolean()
  GRAPHQL_INTROSPECTION = true;

  @Transform(toBool)
  @IsBoolean()
  GRAPHIQL = true;
}
