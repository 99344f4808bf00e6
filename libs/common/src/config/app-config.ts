import { readFileSync } from 'node:fs';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { parse as parseYaml } from 'yaml';
import { redactSecrets } from '../redact';
import { ClusterConfig, type KeplerVersion, type TenantLabelMode } from './cluster-config';
import { EnvSchema } from './env.schema';

export type TtlClass = 'static' | 'realtime' | 'timeseries' | 'summary';

/** The analyzer's boot settings (ANALYZER_*); weights sum to 1 and thresholds increase (checked in EnvSchema). */
export interface AnalyzerSettings {
  readonly enabled: boolean;
  /** ANALYZER_ALLOCATED_ONLY: GPUs no pod holds are skipped, not scored. */
  readonly allocatedOnly: boolean;
  /** ANALYZER_HISTORY_PROMETHEUS: the cluster whose Prometheus holds the API's exported series (Gpu.history). */
  readonly historyPrometheus?: string;
  readonly intervalSeconds: number;
  readonly windowSeconds: number;
  readonly stalenessSeconds: number;
  /** How long device constants (capacity, reservation, power limit) are reused between window reads. */
  readonly constantsTtlSeconds: number;
  readonly weights: {
    readonly utilization: number;
    readonly memoryCopy: number;
    readonly memoryUsed: number;
    readonly power: number;
  };
  readonly thresholds: { readonly idle: number; readonly low: number; readonly high: number };
  readonly idleActivityPercent: number;
  readonly defaultPowerLimitWatts: number;
  readonly minDelta: number;
  readonly webhooks: {
    readonly controlApiUrl?: string;
    readonly alertWebhookUrl?: string;
    readonly timeoutMs: number;
    readonly retries: number;
    readonly cooldownSeconds: number;
  };
  /** The optional AI second opinion (ANALYZER_AI_*); `apiUrl` absent: not configured. */
  readonly ai: {
    readonly enabled: boolean;
    readonly apiUrl?: string;
    readonly model: string;
    readonly apiKey?: string;
    readonly minConfidence: number;
    readonly nearThresholdPoints: number;
    readonly concurrency: number;
    readonly timeoutMs: number;
    readonly maxGpusPerCycle: number;
    readonly cacheTtlSeconds: number;
  };
}

/**
 * Thrown at boot with one line naming every bad variable and why; main.ts prints it and exits 1. Every problem is
 * redacted (URL credentials, tokens), whoever wrote it: the line ends up in logs and crash reports.
 */
export class ConfigError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    const redacted = problems.map(redactSecrets);
    super(`Invalid configuration: ${redacted.join('; ')}`);
    this.problems = redacted;
    this.name = 'ConfigError';
  }
}

/** The typed, validated configuration; one instance per process, injected everywhere (no other config source). */
export class AppConfig {
  readonly server: {
    readonly port: number;
    readonly nodeEnv: EnvSchema['NODE_ENV'];
    readonly logLevel: EnvSchema['LOG_LEVEL'];
  };
  /** Which adapter serves the data; loadConfig refuses a production config that would fall back to the simulator. */
  readonly dataSource: 'prometheus' | 'simulated';
  readonly prometheus: {
    /** Empty means: no Prometheus configured, serve the simulated fleet. */
    readonly clusters: readonly ClusterConfig[];
    readonly clusterLabel?: string;
    readonly timeoutMs: number;
    readonly retries: number;
    /** Default for clusters without their own `compression`. */
    readonly compression: boolean;
    readonly maxResponseBytes: number;
    /** Exceptions to the registerCluster address guard (hosts, IPs, CIDRs). */
    readonly allowedClusterHosts: readonly string[];
    readonly tenantLabels: TenantLabelMode;
    readonly exporterPodPattern: string;
  };
  readonly cache: { readonly ttlSeconds: Readonly<Record<TtlClass, number>>; readonly redisUrl?: string };
  readonly sim: { readonly scenario?: string; readonly seed?: number };
  readonly graphql: { readonly introspection: boolean; readonly graphiql: boolean };
  readonly export: { readonly maxRows: number; readonly pdfMaxRows: number; readonly batchRows: number };
  readonly power: {
    readonly keplerVersion: KeplerVersion;
    readonly rateWindowSeconds: number;
    /** BMC address (with or without port) → node name. */
    readonly bmcNodeMap: Readonly<Record<string, string>>;
    /** Trusted admin PromQL for facility watts (PUE numerator). */
    readonly facilityQuery?: string;
    readonly overheadFactor?: number;
  };
  readonly analyzer: AnalyzerSettings;
  /** The validated variables as read, for libraries that map their own section. */
  readonly env: Readonly<EnvSchema>;

  constructor(env: EnvSchema, clusters: readonly ClusterConfig[]) {
    this.env = env;
    this.server = { port: env.PORT, nodeEnv: env.NODE_ENV, logLevel: env.LOG_LEVEL };
    this.dataSource = env.DATA_SOURCE ?? (clusters.length ? 'prometheus' : 'simulated');
    this.prometheus = {
      clusters,
      clusterLabel: env.CLUSTER_LABEL,
      timeoutMs: env.PROMETHEUS_TIMEOUT_MS,
      retries: env.PROMETHEUS_RETRIES,
      compression: env.PROMETHEUS_COMPRESSION,
      maxResponseBytes: env.PROMETHEUS_MAX_RESPONSE_BYTES,
      allowedClusterHosts: (env.ALLOWED_CLUSTER_HOSTS ?? '')
        .split(',')
        .map((h) => h.trim())
        .filter(Boolean),
      tenantLabels: env.DCGM_TENANT_LABELS,
      exporterPodPattern: env.DCGM_EXPORTER_POD_PATTERN,
    };
    this.cache = {
      ttlSeconds: {
        static: env.CACHE_TTL_STATIC_SECONDS,
        realtime: env.CACHE_TTL_REALTIME_SECONDS,
        timeseries: env.CACHE_TTL_TIMESERIES_SECONDS,
        summary: env.CACHE_TTL_SUMMARY_SECONDS,
      },
      redisUrl: env.REDIS_URL,
    };
    this.sim = { scenario: env.SIM_SCENARIO, seed: env.SIM_SEED };
    this.analyzer = {
      enabled: env.ANALYZER_ENABLED,
      allocatedOnly: env.ANALYZER_ALLOCATED_ONLY,
      historyPrometheus: env.ANALYZER_HISTORY_PROMETHEUS,
      intervalSeconds: env.ANALYZER_INTERVAL_SECONDS,
      windowSeconds: env.ANALYZER_WINDOW_SECONDS,
      stalenessSeconds: env.ANALYZER_STALENESS_SECONDS,
      constantsTtlSeconds: env.ANALYZER_CONSTANTS_TTL_SECONDS,
      weights: {
        utilization: env.ANALYZER_WEIGHT_UTILIZATION,
        memoryCopy: env.ANALYZER_WEIGHT_MEMORY_COPY,
        memoryUsed: env.ANALYZER_WEIGHT_MEMORY_USED,
        power: env.ANALYZER_WEIGHT_POWER,
      },
      thresholds: {
        idle: env.ANALYZER_THRESHOLD_IDLE,
        low: env.ANALYZER_THRESHOLD_LOW,
        high: env.ANALYZER_THRESHOLD_HIGH,
      },
      idleActivityPercent: env.ANALYZER_IDLE_ACTIVITY_PERCENT,
      defaultPowerLimitWatts: env.ANALYZER_DEFAULT_POWER_LIMIT_WATTS,
      minDelta: env.ANALYZER_MIN_DELTA,
      webhooks: {
        controlApiUrl: env.ANALYZER_CONTROL_API_URL,
        alertWebhookUrl: env.ANALYZER_ALERT_WEBHOOK_URL,
        timeoutMs: env.ANALYZER_WEBHOOK_TIMEOUT_MS,
        retries: env.ANALYZER_WEBHOOK_RETRIES,
        cooldownSeconds: env.ANALYZER_WEBHOOK_COOLDOWN_SECONDS,
      },
      ai: {
        enabled: env.ANALYZER_AI_ENABLED,
        apiUrl: env.ANALYZER_AI_API_URL,
        model: env.ANALYZER_AI_MODEL,
        apiKey: env.ANALYZER_AI_API_KEY,
        minConfidence: env.ANALYZER_AI_THRESHOLD,
        nearThresholdPoints: env.ANALYZER_AI_NEAR_THRESHOLD_POINTS,
        concurrency: env.ANALYZER_AI_CONCURRENCY,
        timeoutMs: env.ANALYZER_AI_TIMEOUT_MS,
        maxGpusPerCycle: env.ANALYZER_AI_MAX_GPUS_PER_CYCLE,
        cacheTtlSeconds: env.ANALYZER_AI_CACHE_TTL_SECONDS,
      },
    };
    // Schema discovery helps in development; a production deployment opts in explicitly.
    const devDefault = env.NODE_ENV !== 'production';
    this.graphql = {
      introspection: env.GRAPHQL_INTROSPECTION ?? devDefault,
      graphiql: env.GRAPHIQL ?? devDefault,
    };
    this.export = {
      maxRows: env.EXPORT_MAX_ROWS,
      pdfMaxRows: env.EXPORT_PDF_MAX_ROWS,
      batchRows: env.EXPORT_BATCH_ROWS,
    };
    this.power = {
      keplerVersion: env.KEPLER_VERSION,
      rateWindowSeconds: env.POWER_RATE_WINDOW_SECONDS,
      // Validated as a JSON object of strings by EnvSchema.
      bmcNodeMap: env.IPMI_BMC_NODE_MAP ? (JSON.parse(env.IPMI_BMC_NODE_MAP) as Record<string, string>) : {},
      facilityQuery: env.PUE_FACILITY_QUERY,
      overheadFactor: env.PUE_OVERHEAD_FACTOR,
    };
  }
}

type RawEnv = Readonly<Record<string, string | undefined>>;

/** Reads `CONFIG_FILE` (YAML with env-form keys) if given; variables from the environment win over the file. */
export function loadConfig(env: RawEnv = process.env): AppConfig {
  const fromFile = env.CONFIG_FILE ? readYamlFile(env.CONFIG_FILE) : {};
  const merged: Record<string, unknown> = { ...fromFile };
  for (const [key, value] of Object.entries(env))
    if (value !== undefined && value !== '') merged[key] = value;

  const schema = plainToInstance(EnvSchema, merged, { exposeDefaultValues: true });
  const problems = validateSync(schema, { whitelist: false }).flatMap((e) => describe(e, merged));
  const clusters = problems.length ? [] : resolveClusters(schema, problems);
  if (!problems.length) checkDataSource(schema, clusters, problems);
  if (problems.length) throw new ConfigError(problems);
  return new AppConfig(schema, clusters);
}

function readYamlFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError([`CONFIG_FILE cannot be read (${(e as Error).message})`]);
  }
  const parsed: unknown = parseYaml(text);
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed))
    throw new ConfigError(['CONFIG_FILE must hold a YAML mapping of VARIABLE: value']);
  // YAML may hold the cluster list as a structure; the schema takes it as JSON text like the env variable.
  return Object.fromEntries(
    Object.entries(parsed as Record<string, unknown>).map(([k, v]) => [
      k,
      typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v),
    ]),
  );
}

function resolveClusters(env: EnvSchema, problems: string[]): ClusterConfig[] {
  if (env.PROMETHEUS_CLUSTERS) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(env.PROMETHEUS_CLUSTERS);
    } catch {
      problems.push('PROMETHEUS_CLUSTERS is not valid JSON');
      return [];
    }
    if (!Array.isArray(parsed)) {
      problems.push('PROMETHEUS_CLUSTERS must be a JSON list of {name,url,...}');
      return [];
    }
    return validateClusterList(parsed, problems, 'PROMETHEUS_CLUSTERS');
  }
  if (env.PROMETHEUS_URL)
    return [plainToInstance(ClusterConfig, { name: 'default', url: env.PROMETHEUS_URL })];
  return [];
}

/**
 * The simulated fleet is a demo: production serves it only when asked for by name, never because the Prometheus
 * variables were forgotten (its scores would reach /metrics and the webhooks as if they were real).
 */
function checkDataSource(env: EnvSchema, clusters: readonly ClusterConfig[], problems: string[]): void {
  const configured = clusters.length > 0;
  switch (env.DATA_SOURCE) {
    case 'prometheus':
      if (!configured) problems.push('DATA_SOURCE=prometheus needs PROMETHEUS_URL or PROMETHEUS_CLUSTERS');
      return;
    case 'simulated':
      if (configured)
        problems.push(
          'DATA_SOURCE=simulated cannot be combined with PROMETHEUS_URL or PROMETHEUS_CLUSTERS: unset one of them',
        );
      return;
    case undefined:
      if (!configured && env.NODE_ENV === 'production' && !env.SIM_SCENARIO)
        problems.push(
          'NODE_ENV=production needs a data source: set PROMETHEUS_URL or PROMETHEUS_CLUSTERS ' +
            '(or DATA_SOURCE=simulated, or SIM_SCENARIO, to serve the simulated demo fleet on purpose)',
        );
      return;
  }
}

/** Validates cluster entries (boot config or the registerCluster mutation); pushes one message per problem. */
export function validateClusterList(
  list: readonly unknown[],
  problems: string[],
  where: string,
): ClusterConfig[] {
  const clusters = list.map((item) => plainToInstance(ClusterConfig, item));
  const seen = new Set<string>();
  clusters.forEach((c, i) => {
    if (typeof c !== 'object' || c === null) {
      problems.push(`${where}[${i}] must be an object`);
      return;
    }
    for (const err of validateSync(c))
      problems.push(...describe(err, c as unknown as Record<string, unknown>, `${where}[${i}].`));
    if (c.name && seen.has(c.name)) problems.push(`${where}[${i}].name '${c.name}' is a duplicate`);
    seen.add(c.name);
  });
  return clusters;
}

function describe(error: ValidationError, source: Record<string, unknown>, prefix = ''): string[] {
  const own = Object.values(error.constraints ?? {}).map((m) => {
    const raw = source[error.property];
    // Credential variables are never echoed; others are, with URL userinfo and tokens blanked.
    const shown =
      typeof raw === 'string' && !/PASSWORD|TOKEN|SECRET|KEY/i.test(error.property)
        ? ` (got "${redactSecrets(raw)}")`
        : '';
    return `${prefix}${error.property}: ${m}${shown}`;
  });
  const nested = (error.children ?? []).flatMap((c) => describe(c, {}, `${prefix}${error.property}.`));
  return [...own, ...nested];
}
