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
  tally: Tally;
}

interface NamespaceAcc {
  cluster: string;
  namespace?: string;
  peak: number;
  gpus: Set<string>;
  tally: Tally;
}

interface Sums {
  idleSteps: number;
  joules: number;
  idleJoules: number;
}
const zero = (): Sums => ({ idleSteps: 0, joules: 0, idleJoules: 0 });

/**
 * Point sums of one GPU or namespace, plus what its points at the range's first and at its own latest timestamp
 * added: the trapezoid rule counts the range's two end points as half a step each, so n points every s seconds
 * stand for (n − 1) × s seconds, the range itself.
 */
class Tally {
  steps = 0;
  /** Points judged idle (not halved: for shares of points). */
  idlePoints = 0;
  private readonly sums = zero();
  private readonly first = zero();
  private last = zero();
  private lastTs = Number.NaN;

  add(ts: number, atRangeStart: boolean, joules: number, idle: boolean): void {
    if (ts !== this.lastTs) {
      this.lastTs = ts;
      this.last = zero();
    }
    this.steps++;
    if (idle) this.idlePoints++;
    for (const s of atRangeStart ? [this.sums, this.first, this.last] : [this.sums, this.last]) {
      s.joules += joules;
      if (idle) {
        s.idleSteps++;
        s.idleJoules += joules;
      }
    }
  }

  /** The sums with the end points halved; `rangeEndTs` undefined when the range has a single timestamp. */
  settled(rangeEndTs: number | undefined): Sums {
    if (rangeEndTs === undefined) return { ...this.sums };
    const ends = [this.first, ...(this.lastTs === rangeEndTs ? [this.last] : [])];
    const half = (k: keyof Sums) => this.sums[k] - ends.reduce((a, e) => a + e[k] / 2, 0);
    return { idleSteps: half('idleSteps'), joules: half('joules'), idleJoules: half('idleJoules') };
  }
}

/**
 * Folds a metric series into the report's figures, one batch at a time: memory holds one entry per GPU and per
 * namespace, never the series. Energy = power × step per point, the range's end points counting half (Tally). A MIG board's power
 * is split equally among its instances at each instant, so boards are counted once. Batches must hold whole
 * timestamps (the MetricSource contract) and arrive in time order. Idle is whatever `isIdle` says: the analyzer's
 * rule (idle-rule.ts), so the report and `gpuScores` share one definition.
 */
export class ReportFold {
  private readonly gpus = new Map<string, GpuAcc>();
  private readonly namespaces = new Map<string, NamespaceAcc>();
  private steps = 0;
  private firstTimestamp = Number.NaN;
  private lastTimestamp = Number.NaN;
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
        if (this.steps === 0) this.firstTimestamp = ts;
        this.steps++;
        this.lastTimestamp = ts;
      }
      const atRangeStart = ts === this.firstTimestamp;
      const watts =
        p.powerWatts !== undefined && Number.isFinite(p.powerWatts)
          ? p.powerWatts / rowsPerBoard.get(`${ts}|${p.cluster}|${p.uuid}`)!
          : 0;
      const joules = watts * this.stepSeconds;

      let atStep = this.clusterWatts.get(ts);
      if (!atStep) this.clusterWatts.set(ts, (atStep = new Map()));
      atStep.set(p.cluster, (atStep.get(p.cluster) ?? 0) + watts);

      const idle = this.isIdle(p);
      this.gpu(p).tally.add(ts, atRangeStart, joules, idle);
      const nsKey = `${p.cluster}|${p.namespace ?? ''}`;
      const ns = this.namespace(nsKey, p);
      ns.tally.add(ts, atRangeStart, joules, idle);
      ns.gpus.add(p.uuid);
      wattsAt.set(`${ts}|${nsKey}`, (wattsAt.get(`${ts}|${nsKey}`) ?? 0) + watts);
    }
    for (const [key, watts] of wattsAt) {
      const ns = this.namespaces.get(key.slice(key.indexOf('|') + 1))!;
      ns.peak = Math.max(ns.peak, watts);
    }
  }

  result(): ReportTotals {
    const span = Math.max(0, this.steps - 1) * this.stepSeconds;
    const rangeEnd = this.steps > 1 ? this.lastTimestamp : undefined;
    // A single timestamp stands for one step (there is no range to spread it over).
    const seconds = span || this.steps * this.stepSeconds;
    const gpus = [...this.gpus.values()].map((g) => ({ g, sums: g.tally.settled(rangeEnd) }));
    const idleGpus = gpus
      .filter(({ g }) => g.tally.steps > 0 && g.tally.idlePoints > 0)
      .map(
        ({ g, sums }): IdleGpu => ({
          id: g.id,
          cluster: g.cluster,
          node: g.node,
          model: g.model,
          namespace: g.namespace,
          pod: g.pod,
          steps: g.tally.steps,
          idleSteps: g.tally.idlePoints,
          idleSeconds: sums.idleSteps * this.stepSeconds,
          wastedEnergyJoules: sums.idleJoules,
        }),
      )
      .sort(
        (a, b) =>
          b.wastedEnergyJoules - a.wastedEnergyJoules ||
          b.idleSeconds - a.idleSeconds ||
          a.id.localeCompare(b.id),
      );
    const namespaces = [...this.namespaces.values()]
      .map((n): NamespacePower => {
        const sums = n.tally.settled(rangeEnd);
        return {
          cluster: n.cluster,
          namespace: n.namespace,
          gpuCount: n.gpus.size,
          averagePowerWatts: seconds ? sums.joules / seconds : 0,
          peakPowerWatts: n.peak,
          energyJoules: sums.joules,
          idleSeconds: sums.idleSteps * this.stepSeconds,
          idleEnergyJoules: sums.idleJoules,
        };
      })
      .sort((a, b) => b.energyJoules - a.energyJoules || a.cluster.localeCompare(b.cluster));
    const energy = gpus.reduce((s, { sums }) => s + sums.joules, 0);
    const mostly = gpus.filter(({ g }) => g.tally.idlePoints * 2 > g.tally.steps);
    return {
      steps: this.steps,
      energyJoules: energy,
      averagePowerWatts: seconds ? energy / seconds : 0,
      idleGpuSeconds: idleGpus.reduce((s, g) => s + g.idleSeconds, 0),
      wastedEnergyJoules: idleGpus.reduce((s, g) => s + g.wastedEnergyJoules, 0),
      idleGpus,
      namespaces,
      deviceCount: this.gpus.size,
      mostlyIdle: { count: mostly.length, energyJoules: mostly.reduce((s, { sums }) => s + sums.joules, 0) },
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
      gpu = { id, cluster: p.cluster, node: p.node, model: p.model, tally: new Tally() };
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
      ns = { cluster: p.cluster, namespace: p.namespace, peak: 0, gpus: new Set(), tally: new Tally() };
      this.namespaces.set(key, ns);
    }
    return ns;
  }
}
