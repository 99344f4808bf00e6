import { type AnalyzerSettings, analyzerSettings } from './analyzer-settings';
import type { ClusterConfig, KeplerVersion, TenantLabelMode } from './cluster-config';
import type { EnvSchema } from './env.schema';

export type TtlClass = 'static' | 'realtime' | 'timeseries' | 'summary';

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
    this.analyzer = analyzerSettings(env);
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
