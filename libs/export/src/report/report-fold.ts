import { gpuKey, type GpuSeriesPoint } from '@kcloud/metrics-source';
import type { IdleClassifier } from './idle-rule';

export interface IdleGpu {
  readonly id: string;
  readonly cluster: string;
  readonly node: string;
  readonly model: string;
  readonly namespace?: string;
  readonly pod?: string;
  readonly steps: number;
  readonly idleSteps: number;
  readonly idleSeconds: number;
  /** Board power share spent while idle, J. */
  readonly wastedEnergyJoules: number;
}

export interface NamespacePower {
  readonly cluster: string;
  readonly namespace?: string;
  readonly gpuCount: number;
  readonly averagePowerWatts: number;
  readonly peakPowerWatts: number;
  readonly energyJoules: number;
  /** GPU time spent idle (device-steps × step), s. */
  readonly idleSeconds: number;
  /** Energy of the namespace's GPUs while idle, J. */
  readonly idleEnergyJoules: number;
}

/** GPU board power of one cluster at one step, W. */
export interface ClusterPowerPoint {
  readonly timestampMs: number;
  readonly cluster: string;
  readonly powerWatts: number;
}

export interface ReportTotals {
  readonly steps: number;
  readonly energyJoules: number;
  readonly averagePowerWatts: number;
  readonly idleGpuSeconds: number;
  readonly wastedEnergyJoules: number;
  /** Idle GPUs, most wasted energy first, then longest idle. */
  readonly idleGpus: readonly IdleGpu[];
  /** Most energy first. */
  readonly namespaces: readonly NamespacePower[];
  /** GPUs and MIG instances seen in the range. */
  readonly deviceCount: number;
  /** Devices idle at more than half of their steps, with the energy they used over the whole range. */
  readonly mostlyIdle: { readonly count: number; readonly energyJoules: number };
  /** Time order, then cluster. */
  readonly clusterPower: readonly ClusterPowerPoint[];
}

interface GpuAcc {
  id: string;
  cluster: string;
  node: string;
  model: string;
  namespace?: string;
  pod?: string;
  steps: number;
  idleSteps: number;
  wasted: number;
  joules: number;
}

interface NamespaceAcc {
  cluster: string;
  namespace?: string;
  joules: number;
  peak: number;
  gpus: Set<string>;
  idleSteps: number;
  idleJoules: number;
}

/**
 * Folds a metric series into the report's figures, one batch at a time: memory holds one entry per GPU and per
 * namespace, never the series. Each point stands for one step of time (energy = power × step). A MIG board's power
 * is split equally among its instances at each instant, so boards are counted once. Batches must hold whole
 * timestamps (the MetricSource contract) and arrive in time order. Idle is whatever `isIdle` says: the analyzer's
 * rule (idle-rule.ts), so the report and `gpuScores` share one definition.
 */
export class ReportFold {
  private readonly gpus = new Map<string, GpuAcc>();
  private readonly namespaces = new Map<string, NamespaceAcc>();
  private steps = 0;
  private lastTimestamp = Number.NaN;
  private energy = 0;
  /** timestamp → cluster → W; one entry per step and cluster (≤ 11,000 steps by the step rule). */
  private readonly clusterWatts = new Map<number, Map<string, number>>();

  constructor(
    private readonly stepSeconds: number,
    private readonly isIdle: IdleClassifier,
  ) {}

  add(points: readonly GpuSeriesPoint[]): void {
    const rowsPerBoard = new Map<string, number>();
    for (const p of points) {
      const key = `${p.timestamp.getTime()}|${p.cluster}|${p.uuid}`;
      rowsPerBoard.set(key, (rowsPerBoard.get(key) ?? 0) + 1);
    }
    const wattsAt = new Map<string, number>();
    for (const p of points) {
      const ts = p.timestamp.getTime();
      if (ts !== this.lastTimestamp) {
        this.steps++;
        this.lastTimestamp = ts;
      }
      const watts =
        p.powerWatts !== undefined && Number.isFinite(p.powerWatts)
          ? p.powerWatts / rowsPerBoard.get(`${ts}|${p.cluster}|${p.uuid}`)!
          : 0;
      const joules = watts * this.stepSeconds;
      this.energy += joules;

      let atStep = this.clusterWatts.get(ts);
      if (!atStep) this.clusterWatts.set(ts, (atStep = new Map()));
      atStep.set(p.cluster, (atStep.get(p.cluster) ?? 0) + watts);

      const gpu = this.gpu(p);
      gpu.steps++;
      gpu.joules += joules;
      const idle = this.isIdle(p);
      if (idle) {
        gpu.idleSteps++;
        gpu.wasted += joules;
      }

      const nsKey = `${p.cluster}|${p.namespace ?? ''}`;
      const ns = this.namespace(nsKey, p);
      ns.joules += joules;
      ns.gpus.add(p.uuid);
      if (idle) {
        ns.idleSteps++;
        ns.idleJoules += joules;
      }
      wattsAt.set(`${ts}|${nsKey}`, (wattsAt.get(`${ts}|${nsKey}`) ?? 0) + watts);
    }
    for (const [key, watts] of wattsAt) {
      const ns = this.namespaces.get(key.slice(key.indexOf('|') + 1))!;
      ns.peak = Math.max(ns.peak, watts);
    }
  }

  result(): ReportTotals {
    const span = this.steps * this.stepSeconds;
    const idleGpus = [...this.gpus.values()]
      .filter((g) => g.idleSteps > 0)
      .map(
        (g): IdleGpu => ({
          id: g.id,
          cluster: g.cluster,
          node: g.node,
          model: g.model,
          namespace: g.namespace,
          pod: g.pod,
          steps: g.steps,
          idleSteps: g.idleSteps,
          idleSeconds: g.idleSteps * this.stepSeconds,
          wastedEnergyJoules: g.wasted,
        }),
      )
      .sort((a, b) => b.wastedEnergyJoules - a.wastedEnergyJoules || b.idleSeconds - a.idleSeconds || a.id.localeCompare(b.id));
    const namespaces = [...this.namespaces.values()]
      .map(
        (n): NamespacePower => ({
          cluster: n.cluster,
          namespace: n.namespace,
          gpuCount: n.gpus.size,
          averagePowerWatts: span ? n.joules / span : 0,
          peakPowerWatts: n.peak,
          energyJoules: n.joules,
          idleSeconds: n.idleSteps * this.stepSeconds,
          idleEnergyJoules: n.idleJoules,
        }),
      )
      .sort((a, b) => b.energyJoules - a.energyJoules || a.cluster.localeCompare(b.cluster));
    const mostly = [...this.gpus.values()].filter((g) => g.idleSteps * 2 > g.steps);
    return {
      steps: this.steps,
      energyJoules: this.energy,
      averagePowerWatts: span ? this.energy / span : 0,
      idleGpuSeconds: idleGpus.reduce((s, g) => s + g.idleSeconds, 0),
      wastedEnergyJoules: idleGpus.reduce((s, g) => s + g.wastedEnergyJoules, 0),
      idleGpus,
      namespaces,
      deviceCount: this.gpus.size,
      mostlyIdle: {
        count: mostly.length,
        energyJoules: mostly.reduce((s, g) => s + g.joules, 0),
      },
      clusterPower: [...this.clusterWatts].flatMap(([timestampMs, byCluster]) =>
        [...byCluster]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([cluster, powerWatts]) => ({ timestampMs, cluster, powerWatts })),
      ),
    };
  }

  private gpu(p: GpuSeriesPoint): GpuAcc {
    const id = gpuKey(p);
    let gpu = this.gpus.get(id);
    if (!gpu) {
      gpu = { id, cluster: p.cluster, node: p.node, model: p.model, steps: 0, idleSteps: 0, wasted: 0, joules: 0 };
      this.gpus.set(id, gpu);
    }
    // The latest tenant is the one a reader can still act on.
    gpu.namespace = p.namespace;
    gpu.pod = p.pod;
    return gpu;
  }

  private namespace(key: string, p: GpuSeriesPoint): NamespaceAcc {
    let ns = this.namespaces.get(key);
    if (!ns) {
      ns = { cluster: p.cluster, namespace: p.namespace, joules: 0, peak: 0, gpus: new Set(), idleSteps: 0, idleJoules: 0 };
      this.namespaces.set(key, ns);
    }
    return ns;
  }
}
