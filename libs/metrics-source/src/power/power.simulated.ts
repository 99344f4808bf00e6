import { badInput, type PartialResult } from '@kcloud/common';
import {
  fleetPower,
  type FleetModel,
  type FleetPower,
  type SimNodeEnergy,
  type SimNodePower,
} from '@kcloud/fleet-model';
import { MAX_POINTS_PER_SERIES } from '@kcloud/prometheus';
import type { InfraFilter } from '../shared/infra-filter';
import { filteredInfra, simulatedClusters, simulatedNodes } from '../shared/simulated-infra';
import type {
  ContainerPowerSample,
  KubeNodeSample,
  NodeEnergySample,
  NodePowerSample,
  NodePowerSeries,
  PodEnergySample,
  PodPowerSample,
  PodPowerSeries,
  PowerRangeWindow,
  PowerSource,
  ResourceCount,
  TimedValue,
} from './power.port';

/** kube-state-metrics' resource names: every char outside [a-zA-Z0-9_] becomes `_`. */
const sanitize = (resource: string): string => resource.replace(/[^a-zA-Z0-9_]/g, '_');

/**
 * Node and workload power from the fleet model: what the simulated Kepler (≥ 0.10 names), kube-state-metrics and
 * the boards' exporters would report, read from the model in-process. Series that the exporters emit only when
 * non-zero (pod GPU power, NPU power) are absent here too, so both adapters answer alike.
 */
export class SimulatedPower implements PowerSource {
  private readonly power: FleetPower;

  constructor(
    private readonly model: FleetModel,
    private readonly now: () => number = Date.now,
  ) {
    this.power = fleetPower(model);
  }

  async nodePower(filter: InfraFilter): Promise<PartialResult<NodePowerSample>> {
    const at = this.now();
    const energies = this.energies(filter, at);
    return this.filtered(
      filter,
      this.nodes(filter, at).map((n) => toNodeSample(n, energies.get(key(n)), at)),
    );
  }

  async podPower(filter: InfraFilter): Promise<PartialResult<PodPowerSample>> {
    return this.filtered(filter, this.pods(filter, this.now()));
  }

  async containerPower(filter: InfraFilter): Promise<PartialResult<ContainerPowerSample>> {
    const at = this.now();
    const containerOf = new Map(
      this.nodes(filter, at).flatMap((n) =>
        n.pods.map((p) => [`${n.cluster}/${p.namespace}/${p.pod}`, p] as const),
      ),
    );
    return this.filtered(
      filter,
      this.pods(filter, at).map((p) => {
        const c = containerOf.get(`${p.cluster}/${p.namespace}/${p.pod}`);
        return { ...p, container: c?.container ?? '', containerId: c?.containerId };
      }),
    );
  }

  async kubeNodes(filter: InfraFilter): Promise<PartialResult<KubeNodeSample>> {
    const counts = (list: readonly { resource: string; count: number }[]): ResourceCount[] =>
      list
        .map((r) => ({ resource: sanitize(r.resource), count: r.count }))
        .sort((a, b) => a.resource.localeCompare(b.resource));
    return this.filtered(
      filter,
      this.clusters(filter).flatMap((cluster) =>
        this.model.nodes(cluster).map((n) => ({
          cluster,
          node: n.name,
          internalIp: n.internalIp,
          capacity: counts(n.capacity),
          allocatable: counts(n.allocatable),
        })),
      ),
    );
  }

  async nodePowerRange(
    filter: InfraFilter,
    window: PowerRangeWindow,
  ): Promise<PartialResult<NodePowerSeries>> {
    const series = new Map<
      string,
      { cluster: string; node: string; components: Record<string, TimedValue[]> }
    >();
    for (const t of steps(window)) {
      for (const n of this.nodes(filter, t)) {
        const s = series.get(key(n)) ?? { cluster: n.cluster, node: n.node, components: {} };
        const parts: Record<string, number | undefined> = {
          cpuPackageWatts: n.cpuPackageWatts,
          dramWatts: n.dramWatts,
          gpuWatts: n.gpuWatts,
          npuWatts: n.npuWatts > 0 ? n.npuWatts : undefined,
          platformWatts: n.serverInputWatts,
          serverInputWatts: n.serverInputWatts,
        };
        for (const [name, value] of Object.entries(parts))
          if (value !== undefined) (s.components[name] ??= []).push({ timestampMs: t, value });
        series.set(key(n), s);
      }
    }
    return this.filtered(filter, [...series.values()]);
  }

  async podPowerRange(filter: InfraFilter, window: PowerRangeWindow): Promise<PartialResult<PodPowerSeries>> {
    const series = new Map<
      string,
      { cluster: string; namespace: string; pod: string; node: string; points: TimedValue[] }
    >();
    for (const t of steps(window))
      for (const n of this.nodes(filter, t))
        for (const p of n.pods) {
          const k = `${n.cluster}/${p.namespace}/${p.pod}`;
          const s = series.get(k) ?? {
            cluster: n.cluster,
            namespace: p.namespace,
            pod: p.pod,
            node: n.node,
            points: [],
          };
          s.points.push({ timestampMs: t, value: p.cpuPackageWatts + p.dramWatts + p.gpuWatts });
          series.set(k, s);
        }
    return this.filtered(filter, [...series.values()]);
  }

  async nodeEnergy(filter: InfraFilter, from: Date, to: Date): Promise<PartialResult<NodeEnergySample>> {
    const before = this.energies(filter, from.getTime());
    return this.filtered(
      filter,
      [...this.energies(filter, to.getTime()).values()].map((e) => {
        const b = before.get(key(e));
        const d = (pick: (x: SimNodeEnergy) => number): number => pick(e) - (b ? pick(b) : pick(e));
        const platform = d((x) => x.platformJoules);
        return {
          cluster: e.cluster,
          node: e.node,
          joules: {
            cpuPackageWatts: d((x) => x.cpuPackageJoules),
            dramWatts: d((x) => x.dramJoules),
            gpuWatts: d(gpuJoules),
            platformWatts: platform,
            serverInputWatts: platform,
          },
        };
      }),
    );
  }

  async podEnergy(filter: InfraFilter, from: Date, to: Date): Promise<PartialResult<PodEnergySample>> {
    const before = this.energies(filter, from.getTime());
    const items: PodEnergySample[] = [];
    const pods = new Map(this.model.pods().map((p) => [p.uid, p]));
    for (const e of this.energies(filter, to.getTime()).values())
      for (const [uid, pe] of e.pods) {
        const pod = pods.get(uid);
        const pb = before.get(key(e))?.pods.get(uid);
        if (!pod || !pb) continue;
        const total = (x: typeof pe): number => x.cpuPackageJoules + x.dramJoules + x.gpuJoules;
        items.push({
          cluster: e.cluster,
          namespace: pod.namespace,
          pod: pod.name,
          node: e.node,
          joules: total(pe) - total(pb),
        });
      }
    return this.filtered(filter, items);
  }

  private pods(filter: InfraFilter, at: number): PodPowerSample[] {
    const power = new Map(
      this.nodes(filter, at).flatMap((n) => n.pods.map((p) => [`${n.cluster}/${p.uid}`, p] as const)),
    );
    const energy = new Map(
      [...this.energies(filter, at).values()].flatMap((e) =>
        [...e.pods].map(([uid, pe]) => [`${e.cluster}/${uid}`, pe] as const),
      ),
    );
    return this.clusters(filter).flatMap((cluster) =>
      this.model.pods(cluster).map((p): PodPowerSample => {
        const w = power.get(`${cluster}/${p.uid}`);
        const e = energy.get(`${cluster}/${p.uid}`);
        const gpu = w && w.gpuWatts > 0 ? w.gpuWatts : undefined;
        return {
          cluster,
          namespace: p.namespace,
          pod: p.name,
          node: p.node,
          uid: p.uid,
          phase: p.phase,
          gpuRequests: p.gpuRequests,
          cpuWatts: w?.cpuPackageWatts,
          dramWatts: w?.dramWatts,
          gpuWatts: gpu,
          energyJoules: e
            ? e.cpuPackageJoules + e.dramJoules + (gpu === undefined ? 0 : e.gpuJoules)
            : undefined,
          observedAt: new Date(at),
        };
      }),
    );
  }

  private clusters(filter: InfraFilter): string[] {
    return simulatedClusters(this.model, filter);
  }

  private nodes(filter: InfraFilter, at: number): SimNodePower[] {
    return simulatedNodes(this.model, filter, at);
  }

  private energies(filter: InfraFilter, at: number): Map<string, SimNodeEnergy> {
    return new Map(
      this.clusters(filter).flatMap((c) => this.power.nodeEnergiesAt(c, at).map((e) => [key(e), e] as const)),
    );
  }

  private filtered<T extends { readonly cluster: string; readonly node?: string }>(
    filter: InfraFilter,
    items: T[],
  ): PartialResult<T> {
    return filteredInfra(filter, items);
  }
}

const key = (n: { cluster: string; node: string }): string => `${n.cluster}/${n.node}`;
const gpuJoules = (e: SimNodeEnergy): number => [...e.gpuJoules.values()].reduce((s, j) => s + j, 0);

function toNodeSample(n: SimNodePower, e: SimNodeEnergy | undefined, at: number): NodePowerSample {
  return {
    cluster: n.cluster,
    node: n.node,
    cpuPackageWatts: n.cpuPackageWatts,
    cpuCoreWatts: n.cpuCoreWatts,
    dramWatts: n.dramWatts,
    gpuWatts: n.gpuWatts,
    npuWatts: n.npuWatts > 0 ? n.npuWatts : undefined,
    platformWatts: n.serverInputWatts,
    serverInputWatts: n.serverInputWatts,
    cpuUtilizationPercent: n.cpuUsageRatio * 100,
    energyJoules: e ? e.cpuPackageJoules + e.dramJoules + gpuJoules(e) : undefined,
    observedAt: new Date(at),
  };
}

/** The step grid of a range query, capped like Prometheus' own limit. */
function steps(window: PowerRangeWindow): number[] {
  const from = window.from.getTime();
  const to = window.to.getTime();
  const stepMs = window.stepSeconds * 1000;
  if ((to - from) / stepMs > MAX_POINTS_PER_SERIES)
    throw badInput('stepSeconds', `range / step exceeds ${MAX_POINTS_PER_SERIES} points; use a larger step`);
  const out: number[] = [];
  for (let t = from; t <= to; t += stepMs) out.push(t);
  return out;
}
