import type { AppConfig, ClusterConfig, PartialResult } from '@kcloud/common';
import {
  type ClusterRegistry,
  type InstantSample,
  labelReplace,
  type Matcher,
  oneOf,
  or,
  type PrometheusClient,
  type PromQL,
  selector,
  selectorByNames,
} from '@kcloud/prometheus';
import { matchesDevice, matchesNothing } from '../shared/device-filter';
import { type DeviceFilter } from '../shared/device-filter';
import { gpuKey } from '../gpu-snapshot/gpu-sample';
import { DCGM_IDENTITY_METRIC } from '../gpu-snapshot/dcgm-families';
import { dcgmKeyOf, joinGpuSamples } from '../gpu-snapshot/gpu-join';
import { joinNpuSamples } from '../npus/npu-join';
import { NPU } from '../npus/npu-queries';
import { detectFromLabels, labelNamesFor } from '../gpu-snapshot/tenant-labels';
import type {
  ClusterQualityEvidence,
  DeviceQualitySettings,
  DeviceQualitySource,
  GpuQualityEvidence,
  NpuQualityEvidence,
  TargetState,
} from './device-quality.port';
import { targetKey } from './device-quality';
import {
  INTERVAL_TTL_MS,
  INTERVAL_WINDOWS_SECONDS,
  jobsByInterval,
  type MeasuredTargets,
  measure,
} from './scrape-intervals';
import {
  frozenDevicesQuery,
  jobMatchers,
  lastSeenQuery,
  scrapeIntervalQuery,
  targetsUpQuery,
  tenantVariants,
} from './device-quality.queries';
import { scrapeTargetOf, withTargets } from './scrape-target';

/**
 * Frozen means: the energy counter, the power and the temperature all identical for N scrapes. The energy counter is
 * the decisive one: a powered GPU always consumes energy, so a counter that does not move means the exporter serves a
 * cached value (DCGM's host engine stuck, a hung collector). Power and temperature alone are not enough: an idle GPU
 * can hold its integer temperature for minutes, and dcgm-exporter refreshes fields only every collect interval (30 s
 * by default), so several identical scrapes in a row are normal — DATA_FROZEN_SAMPLES × the scrape interval must
 * exceed that collect interval. Requiring all three keeps false alarms away; a GPU without the energy field is never
 * called frozen.
 */
const GPU_UNCHANGING = [
  'DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION',
  'DCGM_FI_DEV_POWER_USAGE',
  'DCGM_FI_DEV_GPU_TEMP',
] as const;
/** NPU exporters have no energy counter: board power (a float that jitters) and temperature, per vendor. */
const NPU_UNCHANGING = [
  [NPU.furiosaPower, NPU.furiosaTemperature],
  [NPU.rblnPower, NPU.rblnTemperature],
] as const;
const NPU_EXPORTER_PODS = '(furiosa|rbln)-metrics-exporter';

interface DeviceFamily<S> {
  /** Selector of the identity series of every device on the given matchers. */
  identity(matchers: readonly Matcher[]): PromQL;
  /** One frozen-devices query per group of jobs sharing a scrape interval. */
  frozen(scope: readonly Matcher[], byInterval: ReadonlyMap<number, string[]>): PromQL[];
  frozenKey(labels: Readonly<Record<string, string>>): string;
  join(cluster: ClusterConfig, identity: readonly InstantSample[]): S[];
}

/** Marks the rows of each part of the combined query, so one request carries them all. */
const PART_LABEL = 'kcloud_quality';
type Part = 'up' | 'interval' | 'frozen';
const mark = (expr: PromQL, part: Part): PromQL => labelReplace(expr, PART_LABEL, part, '__name__', '.*');

/**
 * The Prometheus adapter of DeviceQualitySource: one request per cluster and read, whatever the device count — the
 * `up` of every target, the frozen devices (their window is DATA_FROZEN_SAMPLES × the scrape interval measured
 * before) and, every INTERVAL_TTL_MS, the scrape intervals, joined by `or` and told apart by a marker label. Only when
 * a target is down, a second request reads the last identity of the devices seen on it.
 */
export class PrometheusDeviceQuality implements DeviceQualitySource {
  private readonly measured = new Map<string, MeasuredTargets>();
  private readonly gpuExporterPod: RegExp;
  private readonly npuExporterPod: RegExp;

  constructor(
    private readonly registry: ClusterRegistry,
    private readonly config: AppConfig,
    private readonly settings: DeviceQualitySettings,
    private readonly now: () => number = Date.now,
  ) {
    this.gpuExporterPod = new RegExp(config.prometheus.exporterPodPattern);
    this.npuExporterPod = new RegExp(`${config.prometheus.exporterPodPattern}|${NPU_EXPORTER_PODS}`);
  }

  gpuEvidence(filter: DeviceFilter): Promise<PartialResult<GpuQualityEvidence>> {
    return this.read(
      filter,
      {
        identity: (m) =>
          selector(DCGM_IDENTITY_METRIC, [...m, ...(filter.uuids ? [oneOf('UUID', filter.uuids)] : [])]),
        frozen: (scope, byInterval) =>
          this.frozenQueries(byInterval, (matchers, windowSeconds) =>
            frozenDevicesQuery({
              unchanging: GPU_UNCHANGING,
              key: ['UUID', 'GPU_I_ID'],
              matchers: [...scope, ...matchers],
              windowSeconds,
              samples: this.settings.frozenSamples,
            }),
          ),
        frozenKey: dcgmKeyOf,
        join: (cluster, identity) => {
          const names = labelNamesFor(this.tenantMode(cluster, identity));
          return withTargets(
            joinGpuSamples(cluster.name, identity, [], names, this.gpuExporterPod),
            identity,
            dcgmKeyOf,
            gpuKey,
          );
        },
      },
      (c) => (c.gpuExporter ?? 'dcgm') === 'dcgm',
    );
  }

  npuEvidence(filter: DeviceFilter): Promise<PartialResult<NpuQualityEvidence>> {
    const npuKey = (l: Readonly<Record<string, string>>) => l.uuid ?? '';
    return this.read(
      filter,
      {
        identity: (m) => selectorByNames([NPU.furiosaPower, NPU.rblnPower], [...m]),
        frozen: (scope, byInterval) =>
          NPU_UNCHANGING.flatMap((unchanging) =>
            this.frozenQueries(byInterval, (matchers, windowSeconds) =>
              frozenDevicesQuery({
                unchanging,
                key: ['uuid'],
                matchers: [...scope, ...matchers],
                windowSeconds,
                samples: this.settings.frozenSamples,
              }),
            ),
          ),
        frozenKey: npuKey,
        join: (cluster, identity) => {
          const names = labelNamesFor(this.tenantMode(cluster, identity));
          return withTargets(
            joinNpuSamples(cluster.name, identity, [], names, this.npuExporterPod),
            identity,
            npuKey,
            (n) => n.uuid,
          );
        },
      },
      () => true,
    );
  }

  private async read<S extends DeviceIdentity>(
    filter: DeviceFilter,
    family: DeviceFamily<S>,
    applies: (cluster: ClusterConfig) => boolean,
  ): Promise<PartialResult<ClusterQualityEvidence<S>>> {
    if (matchesNothing(filter)) return { items: [], failures: [] };
    const { results, failures } = await this.registry.fanOut(filter.clusters, async (client, cluster) => {
      const evaluatedAt = new Date(this.now());
      const empty: ClusterQualityEvidence<S> = {
        cluster: cluster.name,
        evaluatedAt,
        targets: [],
        frozenKeys: [],
        unreachable: [],
      };
      if (!applies(cluster)) return empty;
      const scope = this.registry.scopeMatchers(cluster.name);
      const known = this.measured.get(cluster.name);
      const fresh = known !== undefined && this.now() - known.at < INTERVAL_TTL_MS;
      const windows = [...new Set([this.settings.downLookbackSeconds, ...INTERVAL_WINDOWS_SECONDS])].sort(
        (a, b) => b - a,
      );
      const parts = [
        mark(targetsUpQuery(scope), 'up'),
        ...(fresh ? [] : [mark(scrapeIntervalQuery(scope, windows), 'interval')]),
        // Frozen needs a measured interval: on a cluster's first read it is judged from the next one on.
        ...tenantVariants(filter).flatMap((tenant) =>
          family
            .frozen([...scope, ...tenant], jobsByInterval(known?.intervals ?? new Map()))
            .map((q) => mark(q, 'frozen')),
        ),
      ];
      const rows = await client.instant(
        parts.reduce((a, b) => or(a, b)),
        { time: evaluatedAt },
      );
      const of = (part: Part) => rows.filter((r) => r.labels[PART_LABEL] === part);
      const intervals = fresh ? known.intervals : measure(of('interval'));
      const targets: TargetState[] = of('up').flatMap((s) => {
        const target = scrapeTargetOf(s.labels);
        return target
          ? [{ target, up: s.value === 1, scrapeIntervalSeconds: intervals.get(targetKey(target)) }]
          : [];
      });
      // A target too young for every window (or new since the last measure) is measured again on the next read.
      if (targets.some((t) => t.scrapeIntervalSeconds === undefined)) this.measured.delete(cluster.name);
      else if (!fresh) this.measured.set(cluster.name, { at: this.now(), intervals });
      const unreachable = await this.unreachable(
        client,
        cluster,
        scope,
        targets,
        family,
        tenantVariants(filter),
      );
      return {
        ...empty,
        targets,
        frozenKeys: of('frozen').map((r) => family.frozenKey(r.labels)),
        unreachable: unreachable.filter((d) => matchesDevice(filter, d)),
      };
    });
    return { items: results.map((r) => r.value), failures };
  }

  /** One query per distinct scrape interval: the frozen window is that many intervals of the jobs that share it. */
  private frozenQueries(
    byInterval: ReadonlyMap<number, string[]>,
    query: (matchers: Matcher[], windowSeconds: number) => PromQL,
  ): PromQL[] {
    const single = byInterval.size === 1;
    return [...byInterval].map(([interval, jobs]) =>
      query(
        jobMatchers([], single ? undefined : jobs),
        Math.max(1, Math.ceil(interval * this.settings.frozenSamples)),
      ),
    );
  }

  /** The devices last seen on targets that are down now (no request when every target is up). */
  private async unreachable<S>(
    client: PrometheusClient,
    cluster: ClusterConfig,
    scope: readonly Matcher[],
    targets: readonly TargetState[],
    family: DeviceFamily<S>,
    tenants: readonly Matcher[][],
  ): Promise<S[]> {
    const down = targets.filter((t) => !t.up);
    if (!down.length) return [];
    const intervals = down.map((t) => t.scrapeIntervalSeconds).filter((i): i is number => i !== undefined);
    // Shorter than every interval involved, so the subquery sees each device's last sample.
    const step = Math.max(1, Math.floor(Math.min(15, ...intervals)));
    const matchers = [
      ...scope,
      oneOf(
        'instance',
        down.map((t) => t.target.instance),
      ),
    ];
    const identity = (
      await client.instant(
        tenants
          .map((tenant) =>
            lastSeenQuery(family.identity([...matchers, ...tenant]), this.settings.downLookbackSeconds, step),
          )
          .reduce((a, b) => or(a, b)),
      )
    ).filter((s) =>
      down.some((t) => t.target.instance === s.labels.instance && t.target.job === s.labels.job),
    );
    return family.join(cluster, identity);
  }

  private tenantMode(cluster: ClusterConfig, identity: readonly InstantSample[]): 'exported' | 'plain' {
    const configured = cluster.tenantLabels ?? this.config.prometheus.tenantLabels;
    return configured !== 'auto' ? configured : (detectFromLabels(identity.map((s) => s.labels)) ?? 'plain');
  }
}

interface DeviceIdentity {
  readonly cluster: string;
  readonly node: string;
  readonly namespace?: string;
  readonly pod?: string;
  readonly model: string;
  readonly uuid: string;
}
