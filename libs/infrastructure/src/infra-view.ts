import {
  type ContainerPowerSample,
  type KubeNodeSample,
  type NodePowerSample,
  otherWattsOf,
  type PodPowerSample,
  type ResourceCount,
  type WholeNodePowerSource,
  wholeNodePowerOf,
} from '@kcloud/metrics-source';
import type { Container } from './models/container.model';
import { NodePowerSource } from './models/node-power.model';
import type { Node } from './models/node.model';
import type { Pod } from './models/pod.model';

/** Pure mapping from source samples to the GraphQL shapes of this library; no I/O. */

const isGpuResource = (r: string): boolean => r === 'nvidia_com_gpu' || r.startsWith('nvidia_com_mig_');
const isNpuResource = (r: string): boolean => r.startsWith('furiosa_ai_') || r.startsWith('rebellions_ai_');
const total = (list: readonly ResourceCount[], pick: (r: string) => boolean): number =>
  list.filter((c) => pick(c.resource)).reduce((sum, c) => sum + c.count, 0);

const POWER_SOURCE: Readonly<Record<WholeNodePowerSource, NodePowerSource>> = {
  ipmi_dcmi: NodePowerSource.IPMI_DCMI,
  kepler_platform: NodePowerSource.KEPLER_PLATFORM,
  kepler_components: NodePowerSource.KEPLER_COMPONENTS,
};

export function toNode(
  cluster: string,
  name: string,
  kube: KubeNodeSample | undefined,
  power: NodePowerSample | undefined,
): Node {
  const capacity = [...(kube?.capacity ?? [])];
  const allocatable = [...(kube?.allocatable ?? [])];
  const whole = power && wholeNodePowerOf(power);
  return {
    id: `${cluster}/${name}`,
    name,
    cluster,
    internalIp: kube?.internalIp,
    kubeletVersion: kube?.kubeletVersion,
    capacity,
    allocatable,
    gpuCapacity: total(capacity, isGpuResource),
    gpuAllocatable: total(allocatable, isGpuResource),
    npuCapacity: total(capacity, isNpuResource),
    cpuUtilizationPercent: power?.cpuUtilizationPercent,
    memoryUtilizationPercent: undefined,
    powerWatts: whole?.watts,
    powerSource: whole ? POWER_SOURCE[whole.source] : NodePowerSource.NONE,
    power: {
      cpuWatts: power?.cpuPackageWatts,
      cpuCoreWatts: power?.cpuCoreWatts,
      dramWatts: power?.dramWatts,
      gpuWatts: power?.gpuWatts,
      npuWatts: power?.npuWatts,
      otherWatts: power && otherWattsOf(power),
      platformWatts: power?.platformWatts,
      serverInputWatts: power?.serverInputWatts,
    },
    energyJoules: power?.energyJoules,
    observedAt: power?.observedAt,
  };
}

/** Nodes known to kube-state-metrics or to a power exporter, joined by (cluster, name), in a stable order. */
export function joinNodes(kube: readonly KubeNodeSample[], power: readonly NodePowerSample[]): Node[] {
  const key = (s: { cluster: string; node: string }): string => `${s.cluster}\u0000${s.node}`;
  const kubeByKey = new Map(kube.map((k) => [key(k), k]));
  const powerByKey = new Map(power.map((p) => [key(p), p]));
  const named = new Map<string, { cluster: string; node: string }>();
  for (const s of [...kube, ...power]) named.set(key(s), s);
  return [...named]
    .map(([k, { cluster, node }]) => toNode(cluster, node, kubeByKey.get(k), powerByKey.get(k)))
    .sort((a, b) => a.cluster.localeCompare(b.cluster) || a.name.localeCompare(b.name));
}

const sumDefined = (...values: (number | undefined)[]): number | undefined => {
  const present = values.filter((v): v is number => v !== undefined);
  return present.length ? present.reduce((a, b) => a + b, 0) : undefined;
};

/** The Kepler fields a pod and a container share: GPU requests, power components and their sum (undefined when none is read). */
function workloadPowerOf(
  s: PodPowerSample | ContainerPowerSample,
): Pick<Pod, 'gpuRequests' | 'powerWatts' | 'cpuWatts' | 'dramWatts' | 'gpuWatts' | 'energyJoules'> {
  return {
    gpuRequests: s.gpuRequests ?? 0,
    powerWatts: sumDefined(s.cpuWatts, s.dramWatts, s.gpuWatts),
    cpuWatts: s.cpuWatts,
    dramWatts: s.dramWatts,
    gpuWatts: s.gpuWatts,
    energyJoules: s.energyJoules,
  };
}

export function toPod(s: PodPowerSample): Pod {
  return {
    id: `${s.cluster}/${s.namespace}/${s.pod}`,
    name: s.pod,
    namespace: s.namespace,
    cluster: s.cluster,
    node: s.node,
    uid: s.uid,
    phase: s.phase,
    ...workloadPowerOf(s),
    observedAt: s.observedAt,
  };
}

export function toContainer(s: ContainerPowerSample): Container {
  return {
    id: `${s.cluster}/${s.namespace}/${s.pod}/${s.container}`,
    name: s.container,
    pod: s.pod,
    namespace: s.namespace,
    cluster: s.cluster,
    node: s.node,
    containerId: s.containerId,
    ...workloadPowerOf(s),
  };
}

export function compareWorkloads(
  a: { cluster: string; namespace: string; pod: string },
  b: { cluster: string; namespace: string; pod: string },
): number {
  return (
    a.cluster.localeCompare(b.cluster) || a.namespace.localeCompare(b.namespace) || a.pod.localeCompare(b.pod)
  );
}
