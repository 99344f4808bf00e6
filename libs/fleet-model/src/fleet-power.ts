import type { FleetModel } from './fleet-model';
import { hashString } from './hash';
import { ipmiSensorReadings, type SimIpmiSensor } from './ipmi-sensors';
import { nodePowerBreakdown, type SimNodePower } from './node-power';
import { baseJoules, PowerLedger, type PowerByKey } from './power-ledger';
import type { SimPod } from './types';

/**
 * The power side of a fleet model: per node and per pod watts (the ground truth Kepler and the BMC report), joule
 * counters integrating them, IPMI sensors, and one facility meter per cluster. One instance per FleetModel
 * (`fleetPower(model)`), so the exporter server, the simulated adapters and tests read the same counters.
 *
 * Ground-truth accessors are named `…At(cluster, …, atMs)`; tests compare API answers with them.
 */
export interface SimPodEnergy {
  readonly cpuPackageJoules: number;
  readonly cpuCoreJoules: number;
  readonly dramJoules: number;
  readonly gpuJoules: number;
}

export interface SimNodeEnergy {
  readonly cluster: string;
  readonly node: string;
  readonly cpuPackageJoules: number;
  readonly cpuCoreJoules: number;
  readonly dramJoules: number;
  readonly otherJoules: number;
  /** Whole-server energy (Kepler ≤0.7 `platform`): package + dram + GPUs + NPUs + other. */
  readonly platformJoules: number;
  /** Kepler ≤0.7 splits package, core and DRAM energy into mode="idle" and mode="dynamic" counters. */
  readonly cpuPackageIdleJoules: number;
  readonly cpuCoreIdleJoules: number;
  readonly dramIdleJoules: number;
  readonly cpuPackageDynamicJoules: number;
  readonly cpuCoreDynamicJoules: number;
  readonly dramDynamicJoules: number;
  /** Per physical GPU, by UUID. */
  readonly gpuJoules: ReadonlyMap<string, number>;
  /** Per pod, by pod uid. */
  readonly pods: ReadonlyMap<string, SimPodEnergy>;
}

export interface FleetPowerOptions {
  /** Facility power / IT power of every cluster's simulated facility meter. */
  readonly facilityPue?: number;
  /** Where energy integration starts (default: first use); fixed in golden tests so counters are reproducible. */
  readonly originMs?: number;
}

/** The scenario PUE of the simulated facility meters (a well-run air-cooled data hall). */
export const DEFAULT_FACILITY_PUE = 1.35;
const SEP = '\u0000';

export class FleetPower {
  readonly facilityPue: number;
  private readonly originMs?: number;
  private readonly ledgers = new Map<string, PowerLedger>();
  private readonly memo = new Map<
    string,
    { bucket: number; pods: readonly SimPod[]; nodes: SimNodePower[] }
  >();

  constructor(
    private readonly model: FleetModel,
    options: FleetPowerOptions = {},
  ) {
    this.facilityPue = options.facilityPue ?? DEFAULT_FACILITY_PUE;
    this.originMs = options.originMs;
  }

  /** Ground truth: the instantaneous power of every node of a cluster (or of all clusters). */
  nodePowersAt(cluster?: string, atMs: number = Date.now()): SimNodePower[] {
    const clusters = cluster === undefined ? this.model.clusters() : [cluster];
    return clusters.flatMap((c) => this.clusterPower(c, this.model.bucketOf(atMs), atMs));
  }

  nodePowerAt(cluster: string, node: string, atMs: number = Date.now()): SimNodePower | undefined {
    return this.nodePowersAt(cluster, atMs).find((n) => n.node === node);
  }

  /** IT power of a cluster: the sum of its servers' input power (DCMI). */
  itPowerWattsAt(cluster: string, atMs: number = Date.now()): number {
    return this.nodePowersAt(cluster, atMs).reduce((sum, n) => sum + n.serverInputWatts, 0);
  }

  /** What the cluster's facility meter reads (`facility_power_watts`): IT power × the scenario PUE, 0.1 W resolution. */
  facilityPowerWattsAt(cluster: string, atMs: number = Date.now()): number {
    return Math.round(this.itPowerWattsAt(cluster, atMs) * this.facilityPue * 10) / 10;
  }

  /** Ground truth: every node's joule counters at `atMs`. */
  nodeEnergiesAt(cluster: string, atMs: number = Date.now()): SimNodeEnergy[] {
    const totals = this.ledger(cluster).energyAt(atMs);
    const byNode = new Map<string, MutableEnergy>();
    for (const [key, joules] of totals) {
      // seriesPower writes every key as cluster, node, part[, id, sub]: the parts a key's part needs are there.
      const [, node = '', part = '', id = '', sub = ''] = key.split(SEP);
      let e = byNode.get(node);
      if (!e) byNode.set(node, (e = emptyEnergy(cluster, node)));
      if (part === 'gpu') e.gpuJoules.set(id, joules);
      else if (part === 'pod') {
        const pod: MutablePodEnergy = e.pods.get(id) ?? {
          cpuPackageJoules: 0,
          cpuCoreJoules: 0,
          dramJoules: 0,
          gpuJoules: 0,
        };
        const field = POD_FIELDS[sub];
        if (field) pod[field] = joules;
        e.pods.set(id, pod);
      } else {
        const field = NODE_FIELDS[part];
        if (field) e[field] = joules;
      }
    }
    return [...byNode.values()];
  }

  nodeEnergyAt(cluster: string, node: string, atMs: number = Date.now()): SimNodeEnergy | undefined {
    return this.nodeEnergiesAt(cluster, atMs).find((e) => e.node === node);
  }

  /** The BMC sensors of one node, as ipmi_exporter reads them. */
  ipmiSensorsAt(cluster: string, node: string, atMs: number = Date.now()): SimIpmiSensor[] {
    const power = this.nodePowerAt(cluster, node, atMs);
    if (!power) return [];
    return ipmiSensorReadings(this.nodeKey(cluster, node), this.model.bucketOf(atMs), power);
  }

  /** The BMC's address (what `instance` holds when ipmi_exporter scrapes it remotely): 10.(200+cluster).x.y. */
  bmcAddressOf(cluster: string, node: string): string | undefined {
    const ci = this.model.clusters().indexOf(cluster);
    const ni = this.model.nodes(cluster).findIndex((n) => n.name === node);
    if (ci < 0 || ni < 0) return undefined;
    return `10.${(200 + ci) % 256}.${Math.floor(ni / 250) % 256}.${(ni % 250) + 1}`;
  }

  private nodeKey(cluster: string, node: string): number {
    return hashString(`node-power|${this.model.seed}|${cluster}|${node}`);
  }

  /**
   * One bucket's breakdown of a cluster, memoised for the latest bucket: every per-node scrape of a bucket reuses it.
   * The model replaces its pod objects whenever a pattern or tenant changes, so a changed pod list means stale power.
   */
  private clusterPower(cluster: string, bucket: number, atMs: number): SimNodePower[] {
    const pods = this.model.pods(cluster);
    const cached = this.memo.get(cluster);
    if (cached && cached.bucket === bucket && sameItems(cached.pods, pods)) return cached.nodes;
    const podsByNode = new Map<string, SimPod[]>();
    for (const p of pods) podsByNode.set(p.node, [...(podsByNode.get(p.node) ?? []), p]);
    const at = Math.max(atMs, bucket * this.model.tickSeconds * 1000);
    const nodes = this.model.nodes(cluster).map((n) =>
      nodePowerBreakdown({
        cluster,
        node: n.name,
        nodeKey: this.nodeKey(cluster, n.name),
        bucket,
        gpus: this.model.nodeGpus(cluster, n.name, at),
        pods: podsByNode.get(n.name) ?? [],
        npus: this.model.nodeNpus(cluster, n.name, at),
      }),
    );
    this.memo.set(cluster, { bucket, pods, nodes });
    return nodes;
  }

  private ledger(cluster: string): PowerLedger {
    let ledger = this.ledgers.get(cluster);
    if (!ledger) {
      const tickMs = this.model.tickSeconds * 1000;
      ledger = new PowerLedger(
        this.model.bucketOf(this.originMs ?? Date.now()),
        tickMs,
        (bucket) => seriesPower(cluster, this.clusterPower(cluster, bucket, bucket * tickMs)),
        splitBase,
      );
      this.ledgers.set(cluster, ledger);
    }
    return ledger;
  }
}

const instances = new WeakMap<FleetModel, FleetPower>();

/** The power side of `model` (created on first use; `options` only apply then). */
export function fleetPower(model: FleetModel, options?: FleetPowerOptions): FleetPower {
  let power = instances.get(model);
  if (!power) instances.set(model, (power = new FleetPower(model, options)));
  return power;
}

type MutablePodEnergy = { -readonly [K in keyof SimPodEnergy]: number };
type MutableEnergy = { -readonly [K in keyof SimNodeEnergy]: SimNodeEnergy[K] } & {
  gpuJoules: Map<string, number>;
  pods: Map<string, MutablePodEnergy>;
};
type NodeJouleField = Exclude<keyof SimNodeEnergy, 'cluster' | 'node' | 'gpuJoules' | 'pods'>;

const NODE_FIELDS: Readonly<Record<string, NodeJouleField>> = {
  pkg: 'cpuPackageJoules',
  core: 'cpuCoreJoules',
  dram: 'dramJoules',
  other: 'otherJoules',
  platform: 'platformJoules',
  'pkg-idle': 'cpuPackageIdleJoules',
  'core-idle': 'cpuCoreIdleJoules',
  'dram-idle': 'dramIdleJoules',
  'pkg-dyn': 'cpuPackageDynamicJoules',
  'core-dyn': 'cpuCoreDynamicJoules',
  'dram-dyn': 'dramDynamicJoules',
};
const POD_FIELDS: Readonly<Record<string, keyof SimPodEnergy>> = {
  pkg: 'cpuPackageJoules',
  core: 'cpuCoreJoules',
  dram: 'dramJoules',
  gpu: 'gpuJoules',
};

function emptyEnergy(cluster: string, node: string): MutableEnergy {
  return {
    cluster,
    node,
    cpuPackageJoules: 0,
    cpuCoreJoules: 0,
    dramJoules: 0,
    otherJoules: 0,
    platformJoules: 0,
    cpuPackageIdleJoules: 0,
    cpuCoreIdleJoules: 0,
    dramIdleJoules: 0,
    cpuPackageDynamicJoules: 0,
    cpuCoreDynamicJoules: 0,
    dramDynamicJoules: 0,
    gpuJoules: new Map(),
    pods: new Map(),
  };
}

/** Every counter of a cluster as (key → watts) for the ledger; keys are cluster, node, part[, id, sub]. */
function seriesPower(cluster: string, nodes: readonly SimNodePower[]): PowerByKey {
  const out = new Map<string, number>();
  for (const n of nodes) {
    const k = (...parts: string[]): string => [cluster, n.node, ...parts].join(SEP);
    out.set(k('pkg'), n.cpuPackageWatts);
    out.set(k('core'), n.cpuCoreWatts);
    out.set(k('dram'), n.dramWatts);
    out.set(k('other'), n.otherWatts);
    out.set(k('platform'), n.serverInputWatts);
    out.set(k('pkg-idle'), n.cpuPackageIdleWatts);
    out.set(k('core-idle'), n.cpuCoreIdleWatts);
    out.set(k('dram-idle'), n.dramIdleWatts);
    out.set(k('pkg-dyn'), n.cpuPackageWatts - n.cpuPackageIdleWatts);
    out.set(k('core-dyn'), n.cpuCoreWatts - n.cpuCoreIdleWatts);
    out.set(k('dram-dyn'), n.dramWatts - n.dramIdleWatts);
    for (const [uuid, watts] of n.gpuBoardWatts) out.set(k('gpu', uuid), watts);
    for (const p of n.pods) {
      out.set(k('pod', p.uid, 'pkg'), p.cpuPackageWatts);
      out.set(k('pod', p.uid, 'core'), p.cpuCoreWatts);
      out.set(k('pod', p.uid, 'dram'), p.dramWatts);
      out.set(k('pod', p.uid, 'gpu'), p.gpuWatts);
    }
  }
  return out;
}

/**
 * Kepler ≤0.7 splits a component into mode="idle" and mode="dynamic" counters: their bases are shares of the
 * component's own, so idle + dynamic is exactly the component's counter (as on a real exporter).
 */
function splitBase(key: string): number {
  if (key.endsWith('-idle')) return 0.4 * baseJoules(key.slice(0, -'-idle'.length));
  if (key.endsWith('-dyn')) return 0.6 * baseJoules(key.slice(0, -'-dyn'.length));
  return baseJoules(key);
}

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
