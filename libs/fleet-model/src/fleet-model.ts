import { type ActivityTruth, fleetActivityTruth } from './activity-truth';
import { BlankReadings } from './blank-readings';
import { buildClusters, DEFAULT_TICK_SECONDS, gpuNodesOf } from './build';
import { FrozenDevices } from './frozen-devices';
import { GpuFaults } from './gpu-faults';
import type { ClusterState, NodeState } from './build';
import { meanPowerWatts } from './device';
import type { PhysicalGpu } from './device';
import { FleetModelError } from './errors';
import { reportedGpus, type ReportedGpu, type SimGpuExporter } from './gpu-exporters';
import { gpuProcessesOf, reportedProcesses, type SimGpuProcess } from './gpu-processes';
import { buildNpuNodes, sampleNpu, type NpuNodeState, type SimNpu } from './npu';
import { withNpuNodes, withNpuPods } from './npu-cluster';
import { validateAcceleratorScenario } from './npu-scenario';
import { chooseTenant, targetSlot } from './pattern-switch';
import { derivePods, PodPlacementError } from './pods';
import { isWorkloadPattern, WORKLOAD_PATTERNS } from './patterns';
import { sampleGpu, sampleGpuWindowValues } from './sampler';
import { loadScenarioFile, validateScenario } from './scenario';
import type { Scenario } from './scenario';
import type { SimGpu, SimNode, SimPod, SimTenant, WorkloadPattern } from './types';

import { gpuKeyOf } from './gpu-key';

export { gpuKeyOf };

/**
 * The simulated fleet: clusters → nodes → GPUs (or MIG instances) → pods. Values are a deterministic function of
 * (seed, device, time bucket); the only state is which pattern/tenant each device has and which GPUs were removed.
 */
export class FleetModel {
  readonly seed: string;
  readonly tickSeconds: number;
  /** GPUs whose readings stop changing on demand (none by default). */
  readonly frozen = new FrozenDevices();
  /** Blank / impossible values the exporters serve on demand (none by default); applied when a body is served. */
  readonly blanks = new BlankReadings();
  /** Health faults (XID, ECC, clock events…) injected per GPU (none by default). */
  readonly faults = new GpuFaults();
  /** Whether dcgm-exporter serves the health rows the default CSV leaves commented out (scenario dcgmHealthCounters). */
  readonly dcgmAllHealthCounters: boolean;
  private readonly state: readonly ClusterState[];
  private readonly exporters: ReadonlyMap<string, SimGpuExporter>;
  private readonly npuExporters: ReadonlyMap<string, 'vendor' | 'all-smi'>;
  private readonly npuState: readonly NpuNodeState[];
  private readonly byUuid = new Map<string, PhysicalGpu>();
  private podCache: Map<string, SimPod[]> | undefined;

  constructor(scenario: Scenario) {
    validateScenario(scenario);
    validateAcceleratorScenario(scenario);
    this.seed = String(scenario.seed);
    this.tickSeconds = scenario.tickSeconds ?? DEFAULT_TICK_SECONDS;
    this.dcgmAllHealthCounters = scenario.dcgmHealthCounters === 'all';
    this.state = buildClusters(scenario);
    this.exporters = new Map(scenario.clusters.map((c) => [c.name, c.gpuExporter ?? 'dcgm']));
    this.npuExporters = new Map(scenario.clusters.map((c) => [c.name, c.npuExporter ?? 'vendor']));
    this.npuState = buildNpuNodes(scenario, this.state);
    for (const cluster of this.state)
      for (const node of cluster.nodes) for (const gpu of node.gpus) this.byUuid.set(gpu.uuid, gpu);
    this.podsByCluster(); // rejects a scenario that puts one pod on two nodes
    for (const rule of scenario.blanks ?? []) this.blanks.set(rule);
  }

  static fromFile(path: string): FleetModel {
    return new FleetModel(loadScenarioFile(path));
  }

  /** All values are constant within one bucket. */
  bucketOf(atMs: number): number {
    return Math.floor(atMs / (this.tickSeconds * 1000));
  }

  clusters(): string[] {
    return this.state.map((c) => c.name);
  }

  /** Ground truth at `atMs`: one entry per whole GPU, one per MIG instance (no whole-GPU entry for MIG GPUs). */
  gpus(cluster?: string, atMs: number = Date.now()): SimGpu[] {
    const out: SimGpu[] = [];
    const bucket = this.bucketOf(atMs);
    for (const c of this.selectClusters(cluster))
      for (const node of c.nodes) for (const gpu of node.gpus) this.sampleGpuAt(gpu, bucket, atMs, out);
    return out;
  }

  /**
   * The window values (sampler.ts's WINDOW_VALUES per row) of every row `gpus(cluster, atMs)` returns, in the same
   * order, into `out`; answers the row count. What `windowAverages` sums, with no object per row.
   */
  windowValues(cluster: string | undefined, atMs: number, out: Float64Array): number {
    let rows = 0;
    const bucket = this.bucketOf(atMs);
    for (const c of this.selectClusters(cluster))
      for (const node of c.nodes)
        for (const gpu of node.gpus) {
          const at = this.frozen.timeOf(gpu.uuid, atMs);
          rows += sampleGpuWindowValues(gpu, at === atMs ? bucket : this.bucketOf(at), out, rows);
        }
    return rows;
  }

  /** The GPUs one node's dcgm-exporter would report (cheaper than filtering `gpus()` per node). */
  nodeGpus(cluster: string, node: string, atMs: number = Date.now()): SimGpu[] {
    const out: SimGpu[] = [];
    const n = this.findNode(cluster, node);
    if (!n) return out;
    const bucket = this.bucketOf(atMs);
    for (const gpu of n.gpus) this.sampleGpuAt(gpu, bucket, atMs, out);
    return out;
  }

  /** Cluster and `gpuKeyOf` of each row of the frozen GPUs, in `gpus()` order, without sampling the fleet. */
  frozenRowKeys(): { readonly cluster: string; readonly key: string }[] {
    const out: { cluster: string; key: string }[] = [];
    if (this.frozen.uuids().length === 0) return out;
    for (const gpu of this.byUuid.values())
      if (this.frozen.sinceOf(gpu.uuid) !== undefined)
        for (const migInstanceId of gpu.mig?.map((s) => s.instanceId) ?? [undefined])
          out.push({ cluster: gpu.cluster, key: gpuKeyOf({ uuid: gpu.uuid, migInstanceId }) });
    return out;
  }

  /** Whether the cluster has this node: a GPU node, or one that carries only NPU cards. */
  hasNode(cluster: string, node: string): boolean {
    return (
      this.findNode(cluster, node) !== undefined || this.npuNodesOf(cluster).some((n) => n.name === node)
    );
  }

  gpuByKey(uuid: string, migInstanceId?: string, atMs: number = Date.now()): SimGpu | undefined {
    const gpu = this.byUuid.get(uuid);
    if (!gpu) return undefined;
    const rows: SimGpu[] = [];
    this.sampleGpuAt(gpu, this.bucketOf(atMs), atMs, rows);
    return rows.find((r) => r.migInstanceId === migInstanceId);
  }

  /** GPU nodes with their NPU resources, then the cluster's NPU-only nodes (gpuCount 0, gpuModel ''). */
  nodes(cluster?: string): SimNode[] {
    return this.selectClusters(cluster).flatMap((c) => withNpuNodes(gpuNodesOf(c), this.npuNodesOf(c.name)));
  }

  pods(cluster?: string): SimPod[] {
    const byCluster = this.podsByCluster();
    return this.selectClusters(cluster).flatMap((c) => byCluster.get(c.name) ?? []);
  }

  /** The GPU exporter the scenario runs in `cluster` (default dcgm). */
  gpuExporter(cluster: string): SimGpuExporter {
    return this.exporters.get(cluster) ?? 'dcgm';
  }

  /** Who reports the cluster's NPU cards: their vendors' exporters, or all-smi beside the GPUs. */
  npuExporter(cluster: string): 'vendor' | 'all-smi' {
    return this.npuExporters.get(cluster) ?? 'vendor';
  }

  /** The GPUs as each cluster's own exporter reports them (see reportedGpus): what a scrape of it would show. */
  reportedGpus(cluster?: string, atMs: number = Date.now()): ReportedGpu[] {
    return this.selectClusters(cluster).flatMap((c) => [
      ...reportedGpus(this.gpuExporter(c.name), this.gpus(c.name, atMs)),
    ]);
  }

  /** The processes each cluster's GPU exporter reports at `atMs` (none where it is dcgm-exporter). */
  gpuProcesses(cluster?: string, atMs: number = Date.now()): SimGpuProcess[] {
    const bucket = this.bucketOf(atMs);
    return this.selectClusters(cluster).flatMap((c) =>
      reportedProcesses(this.gpuExporter(c.name), gpuProcessesOf(this.seed, this.gpus(c.name, atMs), bucket)),
    );
  }

  /** Ground truth of every NPU card at `atMs`, in scenario order. */
  npus(cluster?: string, atMs: number = Date.now()): SimNpu[] {
    return this.selectClusters(cluster).flatMap((c) =>
      this.npuNodesOf(c.name).flatMap((n) => n.npus.map((npu) => this.sampleNpuAt(npu, atMs))),
    );
  }

  /** The cards one node's NPU exporter would report. */
  nodeNpus(cluster: string, node: string, atMs: number = Date.now()): SimNpu[] {
    // Only this node's cards are sampled: the exposition asks once per node target and scrape.
    return this.npuNodesOf(cluster)
      .filter((n) => n.name === node)
      .flatMap((n) => n.npus.map((npu) => this.sampleNpuAt(npu, atMs)));
  }

  /** A frozen NPU card, like a frozen GPU, is sampled at the time it was frozen. */
  private sampleNpuAt(npu: NpuNodeState['npus'][number], atMs: number): SimNpu {
    return sampleNpu(npu, this.bucketOf(this.frozen.timeOf(npu.uuid, atMs)));
  }

  private npuNodesOf(cluster: string): readonly NpuNodeState[] {
    return this.npuState.filter((n) => n.cluster === cluster);
  }

  /**
   * Switches a GPU (or one MIG instance) to another pattern at run time. `tenant`: omitted keeps the current holder
   * (or names a new one if the device was free), `null` leaves the device without a pod, an object assigns that pod.
   * `unallocated` always clears the tenant. The energy counter continues from its current value at the new mean power.
   */
  setPattern(
    uuid: string,
    migInstanceId: string | undefined,
    pattern: WorkloadPattern,
    tenant?: SimTenant | null,
    atMs: number = Date.now(),
  ): void {
    if (!isWorkloadPattern(pattern))
      throw new FleetModelError(
        'BAD_USER_INPUT',
        `unknown pattern "${String(pattern)}" (${WORKLOAD_PATTERNS.join(', ')})`,
      );
    const { node, gpu } = this.requireGpu(uuid);
    const slot = targetSlot(gpu, migInstanceId);
    const holder: { pattern: WorkloadPattern; tenant: SimTenant | undefined; patternSinceMs?: number } =
      slot ?? gpu;
    const nextTenant = chooseTenant(
      holder,
      pattern,
      tenant,
      `${gpu.cluster}|${node.name}|${gpu.index}|${migInstanceId ?? ''}|${atMs}`,
    );
    const before = { pattern: holder.pattern, tenant: holder.tenant, since: holder.patternSinceMs };
    holder.pattern = pattern;
    holder.tenant = nextTenant;
    holder.patternSinceMs = atMs;
    try {
      this.podCache = undefined;
      this.podsByCluster();
    } catch (err) {
      holder.pattern = before.pattern;
      holder.tenant = before.tenant;
      holder.patternSinceMs = before.since;
      this.podCache = undefined;
      throw err;
    }
    gpu.energy.changeMeanPower(atMs, meanPowerWatts(gpu));
  }

  /**
   * The activity ground truth at `atMs` (see activity-truth.ts): per GPU / MIG instance, the state its pattern implies
   * and since when, UNKNOWN while it is frozen. Tests of idle detection compare against this, not against lists.
   */
  activityTruth(cluster?: string, atMs: number = Date.now()): ActivityTruth[] {
    return fleetActivityTruth(this.selectClusters(cluster), this.frozen, atMs);
  }

  /** A GPU that falls off the bus: its series disappear, node allocatable drops, its pods lose the request. */
  removeGpu(uuid: string): void {
    const { node, gpu } = this.requireGpu(uuid);
    node.gpus.splice(node.gpus.indexOf(gpu), 1);
    this.byUuid.delete(uuid);
    this.podCache = undefined;
  }

  /** A frozen GPU is sampled at the time it was frozen, every value including its energy counter. */
  private sampleGpuAt(gpu: PhysicalGpu, bucket: number, atMs: number, out: SimGpu[]): void {
    const at = this.frozen.timeOf(gpu.uuid, atMs);
    const first = out.length;
    sampleGpu(gpu, at === atMs ? bucket : this.bucketOf(at), at, out);
    if (!this.faults.has(gpu.uuid)) return;
    const health = this.faults.healthOf(gpu.uuid);
    out.slice(first).forEach((sample, i) => (out[first + i] = { ...sample, ...health }));
  }

  private selectClusters(cluster: string | undefined): readonly ClusterState[] {
    return cluster === undefined ? this.state : this.state.filter((c) => c.name === cluster);
  }

  private findNode(cluster: string, node: string): NodeState | undefined {
    return this.state.find((c) => c.name === cluster)?.nodes.find((n) => n.name === node);
  }

  /** The GPU and its node (looked up by name: control calls are rare, a node reference per GPU is not). */
  private requireGpu(uuid: string): { readonly node: NodeState; readonly gpu: PhysicalGpu } {
    const gpu = this.byUuid.get(uuid);
    const node = gpu && this.findNode(gpu.cluster, gpu.node);
    if (!gpu || !node) throw new FleetModelError('NOT_FOUND', `no GPU with UUID ${uuid}`);
    return { node, gpu };
  }

  private podsByCluster(): Map<string, SimPod[]> {
    if (this.podCache) return this.podCache;
    const cache = new Map<string, SimPod[]>();
    try {
      for (const c of this.state)
        cache.set(c.name, withNpuPods(this.seed, c.name, derivePods(this.seed, c), this.npuNodesOf(c.name)));
    } catch (err) {
      if (err instanceof PodPlacementError) throw new FleetModelError('BAD_USER_INPUT', err.message);
      throw err;
    }
    this.podCache = cache;
    return cache;
  }
}
