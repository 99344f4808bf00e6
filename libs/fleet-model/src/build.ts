import { meanPowerWatts, resourcesOf } from './device';
import type { MigSlot, PhysicalGpu } from './device';
import { EnergyLedger } from './energy';
import { expandGenerator } from './generate';
import { DEFAULT_DRIVER_VERSION, findGpuModel, findMigProfile } from './gpu-models';
import type { GpuModelSpec } from './gpu-models';
import { hashString } from './hash';
import { gpuUuid, nodeIp, objectUid, pciBusId, podCidr } from './identity';
import type { Scenario, ScenarioGpu, ScenarioNode } from './scenario';
import { completeTenant } from './tenants';
import type { SimNode, SimResourceCount } from './types';

/** Internal state of a node: its present GPUs and what its device plugin advertised at start. */
export interface NodeState {
  readonly cluster: string;
  readonly clusterIndex: number;
  readonly name: string;
  readonly index: number;
  readonly model: GpuModelSpec;
  readonly gpus: PhysicalGpu[];
  readonly capacity: readonly SimResourceCount[];
  readonly internalIp: string;
  readonly systemUuid: string;
  readonly podCidr: string;
}

export interface ClusterState {
  readonly name: string;
  readonly index: number;
  readonly nodes: readonly NodeState[];
}

export const DEFAULT_TICK_SECONDS = 10;

/** Expands generator blocks and turns the (validated) scenario into device state. */
export function buildClusters(scenario: Scenario): ClusterState[] {
  const seed = String(scenario.seed);
  const driverVersion = scenario.driverVersion ?? DEFAULT_DRIVER_VERSION;
  return scenario.clusters.map((c, ci) => {
    const nodes = c.nodes ?? (c.generate ? expandGenerator(seed, c.name, c.generate) : []);
    return {
      name: c.name,
      index: ci,
      nodes: nodes.map((n, ni) => buildNode(seed, driverVersion, c.name, ci, n, ni)),
    };
  });
}

function buildNode(
  seed: string,
  driverVersion: string,
  cluster: string,
  clusterIndex: number,
  n: ScenarioNode,
  nodeIndex: number,
): NodeState {
  const model = findGpuModel(n.gpuModel);
  if (!model) throw new Error(`unknown GPU model ${n.gpuModel}`); // validateScenario rejects this first
  const gpus = n.gpus.map((g, i) => buildGpu(seed, driverVersion, cluster, n.name, model, g, i));
  return {
    cluster,
    clusterIndex,
    name: n.name,
    index: nodeIndex,
    model,
    gpus,
    capacity: countResources(gpus),
    internalIp: nodeIp(clusterIndex, nodeIndex),
    systemUuid: objectUid(seed, 'node', cluster, n.name),
    podCidr: podCidr(clusterIndex, nodeIndex),
  };
}

function buildGpu(
  seed: string,
  driverVersion: string,
  cluster: string,
  node: string,
  model: GpuModelSpec,
  g: ScenarioGpu,
  index: number,
): PhysicalGpu {
  const where = `${seed}|${cluster}|${node}|${index}`;
  const key = hashString(`dev|${where}`);
  const pattern = g.mig ? 'unallocated' : (g.pattern ?? 'unallocated');
  const mig: MigSlot[] | undefined = g.mig?.map((m) => {
    const profile = findMigProfile(m.profile);
    if (!profile) throw new Error(`unknown MIG profile ${m.profile}`); // validateScenario rejects this first
    const instanceId = String(m.instanceId);
    return {
      profile,
      instanceId,
      key: hashString(`mig|${where}|${instanceId}`),
      pattern: m.pattern,
      tenant: completeTenant(m.pattern, m, `${where}|${instanceId}`),
    };
  });
  // One literal with every field (no spread): the device keeps all of them in the object itself, not beside it.
  return {
    cluster,
    node,
    index,
    uuid: gpuUuid(seed, cluster, node, index),
    pciBusId: pciBusId(index),
    driverVersion,
    tenant: g.mig ? undefined : completeTenant(pattern, g, where),
    model,
    pattern,
    key,
    mig,
    energy: new EnergyLedger(key, meanPowerWatts({ model, pattern, key, mig })),
  };
}

/** Device-plugin view: whole GPUs as `nvidia.com/gpu`, MIG instances as `nvidia.com/mig-<profile>` (mixed strategy). */
export function countResources(gpus: readonly PhysicalGpu[]): SimResourceCount[] {
  const counts = new Map<string, number>();
  for (const gpu of gpus) for (const r of resourcesOf(gpu)) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts].map(([resource, count]) => ({ resource, count }));
}

/** A cluster's GPU nodes as kube-state-metrics sees them: capacity from the scenario, allocatable from the devices. */
export function gpuNodesOf(c: ClusterState): SimNode[] {
  return c.nodes.map((n) => ({
    cluster: c.name,
    name: n.name,
    gpuCount: n.gpus.length,
    gpuModel: n.model.name,
    internalIp: n.internalIp,
    systemUuid: n.systemUuid,
    podCidr: n.podCidr,
    capacity: n.capacity,
    allocatable: countResources(n.gpus),
  }));
}
