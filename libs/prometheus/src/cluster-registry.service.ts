import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { Counter, Gauge, Histogram } from 'prom-client';
import {
  AppConfig,
  badInput,
  Clock,
  type ClusterConfig,
  ConfigError,
  notFound,
  validateClusterList,
} from '@kcloud/common';
import { type ClusterInfo, type FanOutOptions, type FanOutResult, publicUrl } from './cluster-info';
import { type FanOutHealth, fanOutOver } from './cluster-fan-out';
import { usableClusterNames } from './cluster-discovery';
import { type Entry, entryInfo, markEntryFailed, markEntryUp } from './cluster-entry';
import { ClusterUpstreamMetrics } from './cluster-upstream-metrics';
import { ClusterCircuit, type CircuitSettings, circuitSettingsOf } from './client/cluster-circuit';
import { PrometheusClient, type PrometheusRequestEvent } from './client/prometheus-client';
import { countsAgainstCluster } from './client/prometheus-errors';
import {
  assertClusterUrlAllowed,
  ClusterHostAllowList,
  guardedLookup,
  type Resolver,
} from './cluster-url-guard';
import { eq, type Matcher } from './promql/matchers';
import {
  PROMETHEUS_QUERY_DURATION,
  PROMETHEUS_REQUESTS,
  UPSTREAM_CIRCUIT_STATE,
  UPSTREAM_UP,
} from './prometheus.metrics';
import { type RequestListener, RequestListeners } from './request-listeners';
import { withDeadline } from './with-deadline';

export type { RequestListener } from './request-listeners';

/**
 * The configured clusters, one PrometheusClient each, their health, and the parallel fan-out every query uses:
 * a cluster that fails becomes a failure entry and never fails the others. Clusters can be added and removed at
 * run time. With one global endpoint (Thanos/Mimir/VictoriaMetrics) and CLUSTER_LABEL, `discover()` turns each value
 * of that label into a virtual cluster scoped by `scopeMatchers`.
 */
@Injectable()
export class ClusterRegistry implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ClusterRegistry.name);
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new RequestListeners();
  /** The global endpoint's own config while in discovery mode. */
  private readonly globalBase?: Entry;
  private readonly allowedHosts: ClusterHostAllowList;
  /** Host resolution for the address guard; replaceable in specs. */
  resolver?: Resolver;
  /** Set once a background prober keeps the health fresh: it, not a caller, then tests open circuits. */
  private probedInBackground = false;
  private readonly circuitSettings: CircuitSettings;
  private readonly metrics: ClusterUpstreamMetrics;

  constructor(
    private readonly appConfig: AppConfig,
    private readonly clock: Clock,
    @InjectMetric(PROMETHEUS_QUERY_DURATION) duration: Histogram<string>,
    @InjectMetric(PROMETHEUS_REQUESTS) requests: Counter<string>,
    @InjectMetric(UPSTREAM_CIRCUIT_STATE) circuitGauge: Gauge<string>,
    @InjectMetric(UPSTREAM_UP) upGauge: Gauge<string>,
  ) {
    this.metrics = new ClusterUpstreamMetrics(duration, requests, circuitGauge, upGauge);
    const { clusters, clusterLabel } = appConfig.prometheus;
    this.circuitSettings = circuitSettingsOf(appConfig.env);
    this.allowedHosts = new ClusterHostAllowList(appConfig.prometheus.allowedClusterHosts ?? []);
    const unscoped = clusters.filter((c) => c.clusterLabelValue !== undefined && !clusterLabel);
    if (unscoped.length)
      throw new ConfigError(
        unscoped.map((c) => `cluster '${c.name}' sets clusterLabelValue but CLUSTER_LABEL is not set`),
      );
    for (const cluster of clusters) this.entries.set(cluster.name, this.entry(cluster));
    const [only, ...others] = clusters;
    if (clusterLabel && only && !others.length && only.clusterLabelValue === undefined)
      this.globalBase = this.entries.get(only.name);
  }

  async onModuleInit(): Promise<void> {
    if (!this.globalBase) return;
    // Boot must not depend on the endpoint being up: without discovery it is served as one cluster.
    await this.discover().catch((e: unknown) =>
      this.logger.warn(`cluster discovery failed: ${(e as Error).message}`),
    );
  }

  onModuleDestroy(): void {
    for (const entry of this.entries.values()) entry.client.close();
    this.globalBase?.client.close();
  }

  list(): ClusterInfo[] {
    return [...this.entries.values()].map((e) => this.info(e));
  }

  /** A cluster's PROMETHEUS_CLUSTERS `labels`; none for a name the registry does not hold (the simulated fleet). */
  labels(name: string): Readonly<Record<string, string>> {
    return this.entries.get(name)?.config.labels ?? {};
  }

  names(): string[] {
    return [...this.entries.keys()];
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  client(name: string): PrometheusClient {
    return this.get(name).client;
  }

  config(name: string): ClusterConfig {
    return this.get(name).config;
  }

  /** `[CLUSTER_LABEL="<value>"]` for a cluster on a global endpoint, `[]` for a dedicated one. */
  scopeMatchers(name: string): Matcher[] {
    const { clusterLabelValue } = this.get(name).config;
    const label = this.appConfig.prometheus.clusterLabel;
    return clusterLabelValue !== undefined && label ? [eq(label, clusterLabelValue)] : [];
  }

  /**
   * Registers a cluster at run time (validated like PROMETHEUS_CLUSTERS, plus the address guard: see
   * cluster-url-guard.ts); its status is 'unknown' until checked. Its sockets re-check every resolved address.
   */
  async add(config: ClusterConfig): Promise<ClusterInfo> {
    const problems: string[] = [];
    // One item in, one out: validateClusterList maps its list and reports problems beside it.
    const [cluster] = validateClusterList([config], problems, 'cluster') as [ClusterConfig];
    if (problems.length) throw badInput('cluster', problems.join('; '));
    if (this.entries.has(cluster.name)) throw badInput('name', `cluster '${cluster.name}' already exists`);
    if (cluster.clusterLabelValue !== undefined && !this.appConfig.prometheus.clusterLabel) {
      throw badInput('clusterLabelValue', 'clusterLabelValue needs CLUSTER_LABEL to be configured');
    }
    await assertClusterUrlAllowed(cluster.url, this.allowedHosts, this.resolver);
    if (this.entries.has(cluster.name)) throw badInput('name', `cluster '${cluster.name}' already exists`);
    const entry = this.entry(cluster, true);
    this.entries.set(cluster.name, entry);
    this.logger.log(`cluster '${cluster.name}' added (${publicUrl(cluster.url)})`);
    return this.info(entry);
  }

  remove(name: string): void {
    const entry = this.get(name);
    this.entries.delete(name);
    entry.client.close();
    this.metrics.forget(name);
    this.logger.log(`cluster '${name}' removed`);
  }

  /**
   * Runs `fn` for each selected cluster in parallel (`undefined` = all, unknown names ignored); see fanOutOver.
   * Health is updated from the outcome.
   */
  async fanOut<T>(
    clusters: readonly string[] | undefined,
    fn: (client: PrometheusClient, cluster: ClusterConfig) => Promise<T>,
    opts: FanOutOptions = {},
  ): Promise<FanOutResult<T>> {
    const selected =
      clusters === undefined
        ? [...this.entries.values()]
        : [...new Set(clusters)].flatMap((n) => this.entries.get(n) ?? []);
    return fanOutOver(selected, fn, opts, this.fanOutHealth);
  }

  /**
   * Probes one cluster's readiness and records the result, within `budgetMs` (default: the cluster's timeout). The
   * probe goes through the cluster's circuit: it is what tests an open circuit once it has cooled down.
   */
  async check(name: string, budgetMs?: number): Promise<ClusterInfo> {
    const entry = this.get(name);
    try {
      const timeoutMs = budgetMs ?? entry.config.timeoutMs ?? this.appConfig.prometheus.timeoutMs;
      // ready() may send two requests (its fallback), each with this timeout: the deadline bounds the pair.
      this.markUp(entry, await withDeadline(entry.client.ready(timeoutMs), timeoutMs, name));
    } catch (error) {
      this.markFailed(entry, error);
    }
    return this.info(entry);
  }

  /** Probes every cluster in parallel; never rejects. */
  async checkAll(budgetMs?: number): Promise<ClusterInfo[]> {
    return Promise.all(this.names().map((name) => this.check(name, budgetMs)));
  }

  /**
   * The recorded states, answered at once; a cluster never probed yet (just registered, or no prober running) is
   * probed now within `budgetMs`.
   */
  async health(budgetMs: number): Promise<ClusterInfo[]> {
    const unknown = [...this.entries.values()]
      .filter((e) => e.status === 'unknown')
      .map((e) => e.config.name);
    await Promise.all(unknown.map((name) => this.check(name, budgetMs)));
    return this.list();
  }

  /** From now on only probes test open circuits; callers fail fast until a probe finds the cluster answering. */
  probeInBackground(): void {
    this.probedInBackground = true;
    for (const entry of this.entries.values()) entry.circuit.probedInBackground = true;
    if (this.globalBase) this.globalBase.circuit.probedInBackground = true;
  }

  /**
   * Global endpoint mode: one virtual cluster per value of CLUSTER_LABEL (same URL, scoped by `clusterLabelValue`).
   * New values are added, known ones kept (a cluster with no series right now is still a cluster); the endpoint's
   * own entry is replaced once a value is found. Returns the names added.
   */
  async discover(): Promise<string[]> {
    const base = this.globalBase;
    const label = this.appConfig.prometheus.clusterLabel;
    if (!base || !label) return [];
    const usable = usableClusterNames(await base.client.labelValues(label), label, this.logger);
    if (usable.length && this.entries.get(base.config.name) === base) {
      this.entries.delete(base.config.name);
      this.metrics.forget(base.config.name);
    }
    const added = usable.filter((value) => !this.entries.has(value));
    for (const value of added)
      this.entries.set(value, this.entry({ ...base.config, name: value, clusterLabelValue: value }));
    if (added.length) this.logger.log(`discovered clusters via ${label}: ${added.join(', ')}`);
    return added;
  }

  /** Called with every finished Prometheus request (tests count queries with it). Returns the unsubscribe function. */
  onRequest(listener: RequestListener): () => void {
    return this.listeners.add(listener);
  }

  /** Prometheus requests issued since start, all clusters and endpoints. */
  requestCount(): number {
    return this.listeners.count();
  }

  private entry(config: ClusterConfig, registeredAtRunTime = false): Entry {
    const cluster = config.name;
    const circuit = new ClusterCircuit(cluster, this.circuitSettings, countsAgainstCluster, (state) => {
      if (this.entries.get(cluster)?.circuit === circuit || this.globalBase?.circuit === circuit)
        this.metrics.setCircuit(cluster, state);
      if (state !== 'HALF_OPEN') this.logger.warn(`cluster '${cluster}': circuit ${state.toLowerCase()}`);
    });
    circuit.probedInBackground = this.probedInBackground;
    this.metrics.setCircuit(cluster, 'CLOSED');
    this.metrics.setUp(cluster, 0);
    const client = new PrometheusClient({
      cluster: config,
      timeoutMs: this.appConfig.prometheus.timeoutMs,
      retries: this.appConfig.prometheus.retries,
      compression: this.appConfig.prometheus.compression,
      maxResponseBytes: this.appConfig.prometheus.maxResponseBytes,
      ...(registeredAtRunTime ? { lookup: guardedLookup(this.allowedHosts) } : {}),
      onRequest: (event) => this.observe(event),
      circuit,
    });
    return { config, client, circuit, status: 'unknown' };
  }

  private observe(event: PrometheusRequestEvent): void {
    this.metrics.observe(event);
    this.listeners.notify(event);
  }

  private readonly fanOutHealth: FanOutHealth = {
    up: (entry, latencyMs) => this.markUp(entry, latencyMs),
    failed: (entry, error) => this.markFailed(entry, error),
  };

  private markUp(entry: Entry, latencyMs: number): void {
    markEntryUp(entry, latencyMs, this.clock.now());
    this.metrics.setUp(entry.config.name, 1);
  }

  /** See markEntryFailed: only failures that say something about the cluster itself mark it down. */
  private markFailed(entry: Entry, error: unknown): void {
    if (markEntryFailed(entry, error)) this.metrics.setUp(entry.config.name, 0);
  }

  private info(e: Entry): ClusterInfo {
    return entryInfo(e, this.appConfig.prometheus.tenantLabels);
  }

  private get(name: string): Entry {
    const entry = this.entries.get(name);
    if (!entry) throw notFound('cluster', name);
    return entry;
  }
}
