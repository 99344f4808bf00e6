import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  Validate,
  ValidateIf,
  type ValidationArguments,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import {
  KEPLER_VERSIONS,
  type KeplerVersion,
  TENANT_LABEL_MODES,
  type TenantLabelMode,
} from './cluster-config';

const toBool = ({ value }: { value: unknown }): unknown =>
  value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value;

/** The seeds' level names (Python's INFO/WARNING, Go's info) onto Nest's; anything else is left for @IsIn to refuse. */
const LOG_LEVEL_ALIASES: Readonly<Record<string, string>> = {
  info: 'log',
  warning: 'warn',
  trace: 'verbose',
  critical: 'fatal',
};
const toLogLevel = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const lower = value.trim().toLowerCase();
  return LOG_LEVEL_ALIASES[lower] ?? lower;
};

/** Analyzer weights must sum to 1 (within 1e-9); reported once, on the last weight. */
@ValidatorConstraint({ name: 'analyzerWeightsSumToOne' })
class AnalyzerWeightsSumToOne implements ValidatorConstraintInterface {
  validate(_: unknown, args: ValidationArguments): boolean {
    const e = args.object as EnvSchema;
    const sum =
      e.ANALYZER_WEIGHT_UTILIZATION +
      e.ANALYZER_WEIGHT_MEMORY_COPY +
      e.ANALYZER_WEIGHT_MEMORY_USED +
      e.ANALYZER_WEIGHT_POWER;
    return Math.abs(sum - 1) <= 1e-9;
  }
  defaultMessage(): string {
    return 'ANALYZER_WEIGHT_UTILIZATION + _MEMORY_COPY + _MEMORY_USED + _POWER must sum to 1';
  }
}

@ValidatorConstraint({ name: 'analyzerThresholdsIncrease' })
class AnalyzerThresholdsIncrease implements ValidatorConstraintInterface {
  validate(_: unknown, args: ValidationArguments): boolean {
    const e = args.object as EnvSchema;
    return (
      e.ANALYZER_THRESHOLD_IDLE < e.ANALYZER_THRESHOLD_LOW &&
      e.ANALYZER_THRESHOLD_LOW < e.ANALYZER_THRESHOLD_HIGH
    );
  }
  defaultMessage(): string {
    return 'ANALYZER_THRESHOLD_IDLE < ANALYZER_THRESHOLD_LOW < ANALYZER_THRESHOLD_HIGH must hold';
  }
}

/** The idle exit band lies above the enter band: between them an activity state holds. */
@ValidatorConstraint({ name: 'idleBandsOrdered' })
class IdleBandsOrdered implements ValidatorConstraintInterface {
  validate(_: unknown, args: ValidationArguments): boolean {
    const e = args.object as EnvSchema;
    return e.IDLE_ACTIVITY_ENTER_PERCENT < e.IDLE_ACTIVITY_EXIT_PERCENT;
  }
  defaultMessage(): string {
    return 'IDLE_ACTIVITY_ENTER_PERCENT < IDLE_ACTIVITY_EXIT_PERCENT must hold';
  }
}

/** A JSON object of string → string (IPMI_BMC_NODE_MAP). */
@ValidatorConstraint({ name: 'jsonStringMap' })
class JsonStringMap implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (typeof value !== 'string') return false;
    try {
      const parsed: unknown = JSON.parse(value);
      return (
        typeof parsed === 'object' &&
        parsed !== null &&
        !Array.isArray(parsed) &&
        Object.values(parsed).every((v) => typeof v === 'string')
      );
    } catch {
      return false;
    }
  }
  defaultMessage(args: ValidationArguments): string {
    return `${args.property} must be a JSON object of strings, e.g. {"10.0.0.21": "gpu-node-1"}`;
  }
}

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

  /** Nest's levels, or the seeds' spellings (DEBUG, INFO, WARN, WARNING, ERROR), case-insensitive. */
  @IsOptional()
  @Transform(toLogLevel)
  @IsIn(['fatal', 'error', 'warn', 'log', 'debug', 'verbose'])
  LOG_LEVEL: 'fatal' | 'error' | 'warn' | 'log' | 'debug' | 'verbose' = 'log';

  /** `json` (one JSON object per line, the default) or `pretty` (needs the dev dependency pino-pretty). */
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.toLowerCase() : value))
  @IsIn(['json', 'pretty'])
  LOG_FORMAT: 'json' | 'pretty' = 'json';

  /** The OpenAPI page `/docs` and `/docs-json`; default on, except with NODE_ENV=production (like GRAPHIQL). */
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  OPENAPI?: boolean;

  // --- Prometheus / clusters
  @IsOptional()
  @IsUrl(
    { require_tld: false, protocols: ['http', 'https'], require_protocol: true },
    { message: 'PROMETHEUS_URL must be an http(s) URL' },
  )
  PROMETHEUS_URL?: string;

  /** JSON list `[{name,url,auth?,timeoutMs?,compression?,labels?,tenantLabels?,clusterLabelValue?}]`; validated in AppConfig. */
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

  /**
   * Ask Prometheus for gzip answers. Off by default: in a data centre it costs both sides more CPU than it saves time
   * (measured on a 10k-GPU analyzer cycle); turn it on per cluster (`compression: true`) behind a slow link.
   */
  @Transform(toBool)
  @IsBoolean()
  PROMETHEUS_COMPRESSION = false;

  /**
   * Largest Prometheus answer read, in bytes after decompression (default 64 MiB); a bigger one is cut off and
   * reported as UPSTREAM_ERROR instead of being buffered.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1024)
  @Max(1024 * 1024 * 1024)
  PROMETHEUS_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

  /**
   * Comma-separated hosts, IPs or CIDRs that `registerCluster` may use although they are loopback, link-local,
   * unspecified or cloud-metadata addresses (refused by default).
   */
  @IsOptional()
  @IsString()
  ALLOWED_CLUSTER_HOSTS?: string;

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

  /** Whole GraphQL answers (queries only) cached per document, variables and the caller's role and scope. */
  @Transform(toBool)
  @IsBoolean()
  RESPONSE_CACHE_ENABLED = true;

  /** Upper bound on a cached answer's age; refreshes (analysis installed, snapshot re-read, mutations) drop it sooner. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3600)
  RESPONSE_CACHE_TTL_SECONDS = 30;

  @IsOptional()
  @IsUrl(
    { require_tld: false, protocols: ['redis', 'rediss'], require_protocol: true },
    { message: 'REDIS_URL must be a redis:// URL' },
  )
  REDIS_URL?: string;

  /**
   * Where shared admin state (analyzer config, registered clusters) and analyzer state (statuses, statusSince, webhook
   * cooldowns, last results) persist when REDIS_URL is unset: one JSON file per document. One replica per directory.
   * Neither set: that state lives in memory and is lost on restart.
   */
  @IsOptional()
  @IsString()
  STATE_DIR?: string;

  // --- Simulated source (the embedded default when no Prometheus is configured, outside production)
  /**
   * Where the data comes from: `prometheus` (needs PROMETHEUS_URL or PROMETHEUS_CLUSTERS) or `simulated` (the demo
   * fleet, never mixed with a configured Prometheus). Unset: Prometheus when one is configured, else the simulated
   * fleet, except with NODE_ENV=production, which refuses to start rather than serve invented data unless the
   * simulator is asked for (DATA_SOURCE=simulated or SIM_SCENARIO).
   */
  @IsOptional()
  @IsIn(['prometheus', 'simulated'])
  DATA_SOURCE?: 'prometheus' | 'simulated';

  @IsOptional()
  @IsString()
  SIM_SCENARIO?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  SIM_SEED?: number;

  // --- GraphQL (introspection and the GraphiQL page default to on, except with NODE_ENV=production)
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  GRAPHQL_INTROSPECTION?: boolean;

  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  GRAPHIQL?: boolean;

  // --- Access control and abuse limits (libs/auth maps and validates the key list)
  /** `off` serves every request as an unrestricted admin (logged loudly at every start). */
  @IsOptional()
  @IsIn(['on', 'off'])
  AUTH_MODE: 'on' | 'off' = 'on';

  /** JSON list `[{name, sha256, role, clusters?, namespaces?, expiresAt?, rateLimitPerMinute?}]`; hashes only. */
  @IsOptional()
  @IsString()
  API_KEYS?: string;

  /** The same JSON in a file (a mounted secret). */
  @IsOptional()
  @IsString()
  API_KEYS_FILE?: string;

  /** How often API_KEYS_FILE is re-read; a changed, valid file replaces the keys without a restart. 0: never. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3600)
  API_KEYS_RELOAD_SECONDS = 30;

  /** HTTP Basic account with the admin role (the seed's admin login). */
  @IsOptional()
  @IsString()
  API_AUTH_USERNAME?: string;

  @IsOptional()
  @IsString()
  API_AUTH_PASSWORD?: string;

  /** When set, `/metrics` needs `Authorization: Bearer <METRICS_TOKEN>`; otherwise it is open. */
  @IsOptional()
  @IsString()
  METRICS_TOKEN?: string;

  /** Comma-separated allowed origins (`*` = any, answered as a literal `*`). Default: none (same-origin pages only). */
  @IsOptional()
  @IsString()
  CORS_ORIGINS?: string;

  /** Requests per key per minute over HTTP and GraphQL (a key's `rateLimitPerMinute` overrides it). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  RATE_LIMIT_PER_MINUTE = 600;

  @Type(() => Number)
  @IsInt()
  @Min(2)
  @Max(100)
  GRAPHQL_MAX_DEPTH = 12;

  @Type(() => Number)
  @IsInt()
  @Min(10)
  @Max(100_000_000)
  GRAPHQL_MAX_COMPLEXITY = 100_000;

  /** Lexical tokens in one GraphQL document; parsing stops past it. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(1_000_000)
  GRAPHQL_MAX_TOKENS = 10_000;

  /** Aliased fields in one operation, fragments expanded. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  GRAPHQL_MAX_ALIASES = 100;

  /** Field selections in one operation, fragments expanded (a fragment spread counts its fields each time). */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(1_000_000)
  GRAPHQL_MAX_SELECTIONS = 2_000;

  /** Largest graphql-ws message (WebSocket frame) accepted, also before connection_init; a bigger one closes 1009. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(102_400)
  WS_MAX_PAYLOAD_KB = 64;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  MAX_SUBSCRIPTIONS_PER_KEY = 20;

  /**
   * Open graphql-ws connections plus SSE streams per key on one replica; past it a connection is closed 4429 and an SSE
   * request answered 429.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  MAX_CONNECTIONS_PER_KEY = 20;

  /** Concurrent exports (`/api/v1/export`) per key on one replica; past it 429 until one ends. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000)
  MAX_EXPORTS_PER_KEY = 2;

  /**
   * Failed authentications (HTTP and graphql-ws `connection_init`) per client address, and per Basic user name, per
   * minute (shared by replicas through REDIS_URL); past it every attempt from that address (or as that user) is
   * refused with 429 / close 4429 until the minute ends, correct credentials included.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  AUTH_FAILURES_PER_MINUTE = 10;

  /** Upper bound for one GraphQL query or mutation field; past it the field fails with UPSTREAM_TIMEOUT. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(600_000)
  QUERY_TIMEOUT_MS = 30_000;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(102_400)
  REQUEST_BODY_LIMIT_KB = 256;

  // --- Exports (/api/v1/export)
  /** Largest export accepted; a request whose range/step would exceed it gets 400 before any byte is sent. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000_000)
  EXPORT_MAX_ROWS = 1_000_000;

  /** PDF is laid out in memory (pdfmake), so a PDF table has its own, smaller cap. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  EXPORT_PDF_MAX_ROWS = 5_000;

  /** Rows read and written per batch: what an export holds in memory at a time. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(100_000)
  EXPORT_BATCH_ROWS = 5_000;

  // --- Data quality of device readings (dataQuality on GPUs and NPUs)
  /** A device whose readings stay identical for this many consecutive scrapes (while its target is up) is FROZEN. */
  @Type(() => Number)
  @IsInt()
  @Min(3)
  @Max(1_000)
  DATA_FROZEN_SAMPLES = 10;

  /** Devices last seen this long ago on a target that is now down are still listed, as EXPORTER_DOWN. */
  @Type(() => Number)
  @IsInt()
  @Min(10)
  @Max(86_400)
  DATA_DOWN_LOOKBACK_SECONDS = 600;

  // --- Analyzer (GPU scores); weights and thresholds are checked together by the constraints below
  @Transform(toBool)
  @IsBoolean()
  ANALYZER_ENABLED = true;

  /** Score only GPUs some pod holds (seed 002's `{pod!=""}`); the others are skipped, not in results or stats. */
  @Transform(toBool)
  @IsBoolean()
  ANALYZER_ALLOCATED_ONLY = false;

  /**
   * The configured cluster (PROMETHEUS_CLUSTERS name) whose Prometheus scrapes the API's own /metrics: Gpu.history
   * reads the exported score series there. Unset: each GPU's cluster's Prometheus, `cluster` matched.
   */
  @IsOptional()
  @IsString()
  ANALYZER_HISTORY_PROMETHEUS?: string;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(86_400)
  ANALYZER_INTERVAL_SECONDS = 60;

  @Type(() => Number)
  @IsInt()
  @Min(5)
  @Max(86_400)
  ANALYZER_WINDOW_SECONDS = 600;

  /** A GPU whose newest sample is older than this is reported UNKNOWN (stale), not scored. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(86_400)
  ANALYZER_STALENESS_SECONDS = 180;

  /**
   * Framebuffer capacity, reservation and power limit are re-read this often (and at once for a new device) rather
   * than averaged on every cycle; 0 reads them every cycle. A changed power cap shows within this time.
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(86_400)
  ANALYZER_CONSTANTS_TTL_SECONDS = 300;

  @Type(() => Number)
  @IsNumber()
  @Min(0)
  @Max(1)
  ANALYZER_WEIGHT_UTILIZATION = 0.5;

  @Type(() => Number)
  @IsNumber()
  @Min(0)
  @Max(1)
  ANALYZER_WEIGHT_MEMORY_COPY = 0.2;

  @Type(() => Number)
  @IsNumber()
  @Min(0)
  @Max(1)
  ANALYZER_WEIGHT_MEMORY_USED = 0.2;

  @Type(() => Number)
  @IsNumber()
  @Min(0)
  @Max(1)
  @Validate(AnalyzerWeightsSumToOne)
  ANALYZER_WEIGHT_POWER = 0.1;

  @Type(() => Number)
  @IsNumber()
  @Min(0)
  @Max(100)
  ANALYZER_THRESHOLD_IDLE = 10;

  @Type(() => Number)
  @IsNumber()
  @Min(0)
  @Max(100)
  ANALYZER_THRESHOLD_LOW = 20;

  @Type(() => Number)
  @IsNumber()
  @Min(0)
  @Max(100)
  @Validate(AnalyzerThresholdsIncrease)
  ANALYZER_THRESHOLD_HIGH = 70;

  /** Utilisation and memory copy both below this % over the window make a GPU idle whatever memory it holds; 0 = off. */
  @Type(() => Number)
  @IsNumber()
  @Min(0)
  @Max(100)
  ANALYZER_IDLE_ACTIVITY_PERCENT = 1;

  /** Power limit for models the built-in TDP table does not know, when the exporter sends no limit. */
  @Type(() => Number)
  @IsNumber()
  @Min(1)
  @Max(5000)
  ANALYZER_DEFAULT_POWER_LIMIT_WATTS = 300;

  /** Default score move that fires gpuScoreChanged; each subscription may ask for another within 1–100. */
  @Type(() => Number)
  @IsNumber()
  @Min(1)
  @Max(100)
  ANALYZER_MIN_DELTA = 5;

  // --- Activity states (GpuScore.activityState): hysteresis of the allocation-aware idle states
  /** Activity (GR_ENGINE_ACTIVE, else GPU_UTIL) below this % counts toward entering IDLE_HELD / IDLE_ALLOCATED. */
  @Type(() => Number)
  @IsNumber()
  @Min(0)
  @Max(100)
  IDLE_ACTIVITY_ENTER_PERCENT = 5;

  /** Activity above this % counts toward leaving an idle state; must exceed IDLE_ACTIVITY_ENTER_PERCENT. */
  @Type(() => Number)
  @IsNumber()
  @Min(0)
  @Max(100)
  @Validate(IdleBandsOrdered)
  IDLE_ACTIVITY_EXIT_PERCENT = 10;

  /** Activity must stay below the enter band this long before a GPU is declared idle. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(604_800)
  IDLE_ENTER_SECONDS = 1800;

  /** Activity must stay above the exit band this long before an idle GPU is active again. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(604_800)
  IDLE_EXIT_SECONDS = 300;

  /** A pod seen arriving on a GPU is not judged idle before this many seconds. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(604_800)
  IDLE_GRACE_SECONDS = 600;

  /** An idle allocated GPU is IDLE_HELD when at least this % of its framebuffer is used, else IDLE_ALLOCATED. */
  @Type(() => Number)
  @IsNumber()
  @Min(0)
  @Max(100)
  IDLE_MEMORY_HELD_PERCENT = 2;

  /** Control API called with the seed's payload when a GPU becomes idle or low. */
  @IsOptional()
  @IsUrl(
    { require_tld: false, protocols: ['http', 'https'], require_protocol: true },
    { message: 'ANALYZER_CONTROL_API_URL must be an http(s) URL' },
  )
  ANALYZER_CONTROL_API_URL?: string;

  /** Chat alert webhook (Feishu/Slack style `text` message) for the same events. */
  @IsOptional()
  @IsUrl(
    { require_tld: false, protocols: ['http', 'https'], require_protocol: true },
    { message: 'ANALYZER_ALERT_WEBHOOK_URL must be an http(s) URL' },
  )
  ANALYZER_ALERT_WEBHOOK_URL?: string;

  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(60_000)
  ANALYZER_WEBHOOK_TIMEOUT_MS = 5000;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(10)
  ANALYZER_WEBHOOK_RETRIES = 3;

  /** A GPU triggers a webhook at most once per cooldown. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(604_800)
  ANALYZER_WEBHOOK_COOLDOWN_SECONDS = 3600;

  // --- Analyzer AI second opinion (seed 002): an OpenAI-compatible chat-completions endpoint; never changes a status
  /** Asks the model after every cycle about idle, low and near-threshold GPUs; triggerAnalysis(useAi) works without. */
  @Transform(toBool)
  @IsBoolean()
  ANALYZER_AI_ENABLED = false;

  /** Base URL (`…/v1`: POST {url}/chat/completions), or the full URL ending in /chat/completions. */
  @ValidateIf((e: EnvSchema) => e.ANALYZER_AI_ENABLED || e.ANALYZER_AI_API_URL !== undefined)
  @IsUrl(
    { require_tld: false, protocols: ['http', 'https'], require_protocol: true },
    { message: 'ANALYZER_AI_API_URL must be an http(s) URL (required when ANALYZER_AI_ENABLED=true)' },
  )
  ANALYZER_AI_API_URL?: string;

  @IsString()
  @Matches(/^[^\s]{1,200}$/, { message: 'ANALYZER_AI_MODEL must be a model name without spaces' })
  ANALYZER_AI_MODEL = 'gpt-4o-mini';

  /** Sent as `Authorization: Bearer …`; optional (a local vLLM or Ollama needs none). Never logged. */
  @IsOptional()
  @IsString()
  ANALYZER_AI_API_KEY?: string;

  /** Answers less confident than this (0–1) are counted and not shown. */
  @Type(() => Number)
  @IsNumber()
  @Min(0)
  @Max(1)
  ANALYZER_AI_THRESHOLD = 0.7;

  /** Besides idle and low GPUs, those whose score is within this many points of a threshold are asked about. */
  @Type(() => Number)
  @IsNumber()
  @Min(0)
  @Max(50)
  ANALYZER_AI_NEAR_THRESHOLD_POINTS = 5;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(64)
  ANALYZER_AI_CONCURRENCY = 2;

  /** Per request; a slower answer is abandoned (counted as a timeout). */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(300_000)
  ANALYZER_AI_TIMEOUT_MS = 20_000;

  /** Cost cap: requests per cycle at most; GPUs whose answer is cached do not count. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(10_000)
  ANALYZER_AI_MAX_GPUS_PER_CYCLE = 20;

  /** An answer is reused while the GPU's state (status, bucketed inputs, pods) stays the same, at most this long. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(604_800)
  ANALYZER_AI_CACHE_TTL_SECONDS = 3600;

  // --- Idle accounting and reclaim recommendations (issue 16)
  /** Price of an idle GPU-hour: a number, or JSON by model name with a `default` ({"default":2,"NVIDIA H100 80GB HBM3":4}). */
  @IsString()
  @Matches(/^\s*(\d+(\.\d+)?|\{[\s\S]*\})\s*$/, {
    message: 'IDLE_PRICE_PER_GPU_HOUR must be a number or a JSON object of model name to price',
  })
  IDLE_PRICE_PER_GPU_HOUR = '0';

  /** Price of a kWh drawn by idle GPUs. */
  @Type(() => Number)
  @IsNumber()
  @Min(0)
  IDLE_PRICE_PER_KWH = 0;

  /** Currency the idle costs are given in (a label only). */
  @IsString()
  @Matches(/^[A-Za-z]{1,10}$/, { message: 'COST_CURRENCY must be a currency code such as USD or EUR' })
  COST_CURRENCY = 'USD';

  /** The idle ledger's time bucket: one shared document per bucket; a range reads the buckets it touches. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(86_400)
  IDLE_LEDGER_BUCKET_SECONDS = 3600;

  // --- Power and infrastructure (Kepler, ipmi_exporter, PUE)
  /** Kepler metric names for clusters that do not set `keplerVersion`. */
  @IsOptional()
  @IsIn(KEPLER_VERSIONS)
  KEPLER_VERSION: KeplerVersion = 'v0.10';

  /** rate() window for Kepler's joule counters; at least two scrape intervals, four is safer. */
  @Type(() => Number)
  @IsInt()
  @Min(2)
  @Max(3600)
  POWER_RATE_WINDOW_SECONDS = 120;

  /** ipmi_exporter emits no node label: BMC address (the scrape's `instance`, port optional) → node name. */
  @IsOptional()
  @Validate(JsonStringMap)
  IPMI_BMC_NODE_MAP?: string;

  /**
   * Facility power for PUE: a PromQL expression evaluated on each cluster's Prometheus, returning watts (summed),
   * e.g. `sum(facility_power_watts)` or a PDU/UPS exporter's metric. Trusted admin configuration: it is sent as
   * written, never combined with user input.
   */
  @IsOptional()
  @IsString()
  @Matches(/^[^\n]{1,2000}$/, { message: 'PUE_FACILITY_QUERY must be one line of at most 2000 characters' })
  PUE_FACILITY_QUERY?: string;

  /** Without a facility meter: facility power = IT power × this factor (a documented estimate, shown as such). */
  @IsOptional()
  @Type(() => Number)
  @IsNumber()
  @Min(1)
  @Max(5)
  PUE_OVERHEAD_FACTOR?: number;

  // --- Health, circuit breakers, shutdown
  /** How often the background prober probes every cluster; readiness answers from its last results. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3600)
  HEALTH_PROBE_INTERVAL_SECONDS = 10;

  /** Budget of one cluster probe (and of the first probe round before the API reports started). */
  @Type(() => Number)
  @IsInt()
  @Min(50)
  @Max(60_000)
  HEALTH_PROBE_TIMEOUT_MS = 2000;

  /** Consecutive failures of a cluster (unreachable, 5xx after retries, timeout) that open its circuit. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  CIRCUIT_BREAKER_CONSECUTIVE_FAILURES = 5;

  /** Share of failed requests among the last CIRCUIT_BREAKER_WINDOW_REQUESTS that opens the circuit (0.01–0.99). */
  @Type(() => Number)
  @IsNumber()
  @Min(0.01)
  @Max(0.99)
  CIRCUIT_BREAKER_FAILURE_RATIO = 0.5;

  @Type(() => Number)
  @IsInt()
  @Min(2)
  @Max(10_000)
  CIRCUIT_BREAKER_WINDOW_REQUESTS = 20;

  /** How long an open circuit refuses at once before a probe may test the cluster again. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3600)
  CIRCUIT_BREAKER_HALF_OPEN_AFTER_SECONDS = 30;

  /**
   * On SIGTERM: readiness turns false at once, in-flight requests and exports get this long to finish, then the
   * process closes what is left. Keep it below the pod's terminationGracePeriodSeconds (30 by default).
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3600)
  SHUTDOWN_GRACE_SECONDS = 25;
}
