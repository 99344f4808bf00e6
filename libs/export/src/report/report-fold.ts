import { gpuKey, type GpuSeriesPoint } from '@kcloud/metrics-source';

/** Below this GPU utilisation (or graphics-engine activity for MIG instances) a step counts as idle. */
export const IDLE_UTILIZATION_PERCENT = 10;

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
}

interface NamespaceAcc {
  cluster: string;
  namespace?: string;
  joules: number;
  peak: number;
  gpus: Set<string>;
}

function utilizationOf(p: GpuSeriesPoint): number | undefined {
  if (p.utilizationPercent !== undefined) return p.utilizationPercent;
  // MIG instances have no GPU_UTIL; DCGM's graphics-engine activity is their utilisation signal.
  return p.grEngineActiveRatio === undefined ? undefined : p.grEngineActiveRatio * 100;
}

/**
 * Folds a metric series into the report's figures, one batch at a time: memory holds one entry per GPU and per
 * namespace, never the series. Each point stands for one step of time (energy = power × step). A MIG board's power
 * is split equally among its instances at each instant, so boards are counted once. Batches must hold whole
 * timestamps (the MetricSource contract) and arrive in time order.
 */
export class ReportFold {
  private readonly gpus = new Map<string, GpuAcc>();
  private readonly namespaces = new Map<string, NamespaceAcc>();
  private steps = 0;
  private lastTimestamp = Number.NaN;
  private energy = 0;

  constructor(private readonly stepSeconds: number) {}

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

      const gpu = this.gpu(p);
      gpu.steps++;
      const util = utilizationOf(p);
      if (util !== undefined && util < IDLE_UTILIZATION_PERCENT) {
        gpu.idleSteps++;
        gpu.wasted += joules;
      }

      const nsKey = `${p.cluster}|${p.namespace ?? ''}`;
      const ns = this.namespace(nsKey, p);
      ns.joules += joules;
      ns.gpus.add(p.uuid);
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
        }),
      )
      .sort((a, b) => b.energyJoules - a.energyJoules || a.cluster.localeCompare(b.cluster));
    return {
      steps: this.steps,
      energyJoules: this.energy,
      averagePowerWatts: span ? this.energy / span : 0,
      idleGpuSeconds: idleGpus.reduce((s, g) => s + g.idleSeconds, 0),
      wastedEnergyJoules: idleGpus.reduce((s, g) => s + g.wastedEnergyJoules, 0),
      idleGpus,
      namespaces,
    };
  }

  private gpu(p: GpuSeriesPoint): GpuAcc {
    const id = gpuKey(p);
    let gpu = this.gpus.get(id);
    if (!gpu) {
      gpu = { id, cluster: p.cluster, node: p.node, model: p.model, steps: 0, idleSteps: 0, wasted: 0 };
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
      ns = { cluster: p.cluster, namespace: p.namespace, joules: 0, peak: 0, gpus: new Set() };
      this.namespaces.set(key, ns);
    }
    return ns;
  }
}
