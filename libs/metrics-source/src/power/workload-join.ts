import type { RangeSeries } from '@kcloud/prometheus';
import type { PromSample } from '../shared/prom-sample';
import type { WithInvalidReadings } from '../quality/reading-quality';
import { classifyReading, ReadingJudge } from '../quality/reading-value';
import { nodeOfLabels } from './node-identity';
import { PART } from './power-promql';
import type {
  ContainerPowerSample,
  PodEnergySample,
  PodPowerSample,
  PodPowerSeries,
  TimedValue,
} from './power.port';
import { addSeries, dropUndefined, RefusedSteps } from './series-fold';
import { POD_PARTS } from './workload-query';

/** Pure joins of the workload query's tagged union answer into pods, containers, pod energies and pod series. */
interface WorkloadAcc {
  namespace: string;
  pod: string;
  container?: string;
  containerId?: string;
  node?: string;
  uid?: string;
  phase?: string;
  gpuRequests?: number;
  cpuWatts?: number;
  dramWatts?: number;
  gpuWatts?: number;
  energyJoules?: number;
  refused?: Set<WorkloadField>;
  judge?: ReadingJudge;
}

type WorkloadField = 'cpuWatts' | 'dramWatts' | 'gpuWatts' | 'energyJoules';

const POWER_FIELD: Readonly<Record<string, WorkloadField>> = {
  [POD_PARTS.cpu]: 'cpuWatts',
  [POD_PARTS.dram]: 'dramWatts',
  [POD_PARTS.gpu]: 'gpuWatts',
  [POD_PARTS.cpuJoules]: 'energyJoules',
  [POD_PARTS.gpuJoules]: 'energyJoules',
};

/** The workload field a Kepler series feeds, from its `kcloud_part` label; none for the kube and pod-id parts. */
const powerFieldOf = (l: Readonly<Record<string, string>>): WorkloadField | undefined =>
  POWER_FIELD[l[PART] ?? ''];

const keplerTenant = (l: Readonly<Record<string, string>>): { namespace: string; pod: string } => ({
  namespace: l.pod_namespace ?? l.container_namespace ?? '',
  pod: l.pod_name ?? '',
});

/** kube-state-metrics placement, phase and GPU requests, keyed `namespace/pod` (and `/container` for requests). */
function kubeFacts(samples: readonly PromSample[], perContainer: boolean): Map<string, Partial<WorkloadAcc>> {
  const facts = new Map<string, Partial<WorkloadAcc>>();
  const at = (key: string): Partial<WorkloadAcc> => facts.get(key) ?? (facts.set(key, {}), facts.get(key)!);
  for (const { labels: l, value } of samples) {
    const key = `${l.namespace}/${l.pod}`;
    switch (l[PART]) {
      case POD_PARTS.info:
        Object.assign(at(key), {
          namespace: l.namespace,
          pod: l.pod,
          node: l.node || undefined,
          uid: l.uid || undefined,
        });
        break;
      case POD_PARTS.phase:
        at(key).phase = l.phase;
        break;
      case POD_PARTS.gpuRequests: {
        const k = perContainer ? `${key}/${l.container}` : key;
        at(k).gpuRequests = (at(k).gpuRequests ?? 0) + value;
        break;
      }
    }
  }
  return facts;
}

/**
 * Adds one Kepler reading to a pod's or container's field, unless the classifier refuses it: then the field stays
 * absent for good (a sum missing a part would be a wrong number) and the refusal is recorded. `perSecond` turns an
 * energy reading into the average power it is judged as.
 */
function addWorkloadReading(acc: WorkloadAcc, field: WorkloadField, value: number, perSecond: number): void {
  if (acc.refused?.has(field)) return;
  const verdict =
    field === 'energyJoules'
      ? classifyReading('energyJoules', value)
      : classifyReading(field, value, (v) => v * perSecond);
  if (verdict.ok) {
    acc[field] = (acc[field] ?? 0) + value;
    return;
  }
  (acc.refused ??= new Set()).add(field);
  delete acc[field];
  (acc.judge ??= new ReadingJudge()).refuse(field, verdict.reason);
}

/** The accumulator without its bookkeeping, with its refusals. */
function finish(acc: WorkloadAcc): Omit<WorkloadAcc, 'refused' | 'judge'> & WithInvalidReadings {
  const { refused: _refused, judge, ...rest } = acc;
  return { ...rest, invalidReadings: judge?.invalidReadings };
}

export function joinPods(
  cluster: string,
  samples: readonly PromSample[],
  observedAt: Date,
  perSecond = 1,
): PodPowerSample[] {
  const pods = new Map<string, WorkloadAcc>();
  const kube = kubeFacts(samples, false);
  for (const [key, f] of kube)
    if (f.namespace && f.pod) pods.set(key, { namespace: f.namespace, pod: f.pod });
  for (const { labels, value } of samples) {
    const field = powerFieldOf(labels);
    if (!field) continue;
    const { namespace, pod } = keplerTenant(labels);
    if (!namespace || !pod) continue;
    const key = `${namespace}/${pod}`;
    const acc = pods.get(key) ?? { namespace, pod };
    acc.node ??= nodeOfLabels(labels) || undefined;
    addWorkloadReading(acc, field, value, perSecond);
    pods.set(key, acc);
  }
  return [...pods].map(([key, acc]) => ({
    cluster,
    ...finish(acc),
    ...kubeOverrides(kube.get(key)),
    observedAt,
  }));
}

export function joinContainers(
  cluster: string,
  samples: readonly PromSample[],
  observedAt: Date,
): ContainerPowerSample[] {
  // ≥0.10 container series name their pod only by pod_id: the `pods` part maps it to namespace and name.
  const podById = new Map<string, { namespace: string; pod: string }>();
  for (const { labels } of samples)
    if (labels[PART] === POD_PARTS.pods && labels.pod_id) podById.set(labels.pod_id, keplerTenant(labels));
  const kube = kubeFacts(samples, true);
  const containers = new Map<string, WorkloadAcc>();
  for (const { labels, value } of samples) {
    const field = powerFieldOf(labels);
    if (!field) continue;
    const tenant = labels.pod_id !== undefined ? podById.get(labels.pod_id) : keplerTenant(labels);
    if (!tenant?.namespace || !tenant.pod || !labels.container_name) continue;
    const key = `${tenant.namespace}/${tenant.pod}/${labels.container_name}`;
    const acc = containers.get(key) ?? {
      ...tenant,
      container: labels.container_name,
      containerId: labels.container_id || undefined,
    };
    acc.node ??= nodeOfLabels(labels) || undefined;
    addWorkloadReading(acc, field, value, 1);
    containers.set(key, acc);
  }
  // Containers holding GPUs that Kepler has not seen yet still exist.
  for (const key of kube.keys()) {
    const [namespace = '', pod = '', container] = key.split('/');
    if (container && !containers.has(key)) containers.set(key, { namespace, pod, container });
  }
  return [...containers].map(([key, acc]) => {
    const podKey = key.split('/').slice(0, 2).join('/');
    return {
      cluster,
      ...finish(acc),
      container: acc.container ?? '',
      ...kubeOverrides(kube.get(podKey)),
      gpuRequests: kube.get(key)?.gpuRequests ?? 0,
      observedAt,
    };
  });
}

/** kube-state-metrics is authoritative for placement; Kepler's node is the fallback. */
function kubeOverrides(f: Partial<WorkloadAcc> | undefined): Partial<WorkloadAcc> {
  if (!f) return {};
  return dropUndefined({
    node: f.node,
    uid: f.uid,
    phase: f.phase,
    gpuRequests: f.gpuRequests ?? (f.namespace ? 0 : undefined),
  });
}

/** Pod energy over `windowSeconds` (each reading judged as the average power over the window). */
export function joinPodEnergy(
  cluster: string,
  samples: readonly PromSample[],
  windowSeconds = 1,
): PodEnergySample[] {
  return joinPods(cluster, samples, new Date(0), 1 / windowSeconds)
    .filter((p) => p.cpuWatts !== undefined || p.dramWatts !== undefined || p.gpuWatts !== undefined)
    .map((p) => ({
      cluster,
      namespace: p.namespace,
      pod: p.pod,
      node: p.node,
      joules: (p.cpuWatts ?? 0) + (p.dramWatts ?? 0) + (p.gpuWatts ?? 0),
    }));
}

export function joinPodPowerRange(cluster: string, series: readonly RangeSeries[]): PodPowerSeries[] {
  const pods = new Map<
    string,
    { namespace: string; pod: string; node?: string; points: TimedValue[]; steps: RefusedSteps<'powerWatts'> }
  >();
  for (const s of series) {
    const field = powerFieldOf(s.labels);
    if (!field || s.labels[PART] === POD_PARTS.cpuJoules || s.labels[PART] === POD_PARTS.gpuJoules) continue;
    const { namespace, pod } = keplerTenant(s.labels);
    if (!namespace || !pod) continue;
    const key = `${namespace}/${pod}`;
    const acc = pods.get(key) ?? {
      namespace,
      pod,
      node: nodeOfLabels(s.labels) || undefined,
      points: [],
      steps: new RefusedSteps<'powerWatts'>(),
    };
    const valid = acc.steps.judge('powerWatts', s.points, (v) => classifyReading(field, v), field);
    acc.points = addSeries(acc.points, valid);
    pods.set(key, acc);
  }
  return [...pods.values()].map(({ steps, ...p }) => ({
    cluster,
    ...p,
    points: steps.without({ powerWatts: p.points }).powerWatts ?? [],
    invalidReadings: steps.invalidReadings,
  }));
}
