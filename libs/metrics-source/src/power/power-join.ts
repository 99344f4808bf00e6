import type { RangeSeries } from '@kcloud/prometheus';
import type {
  ContainerPowerSample,
  IpmiSensorSample,
  IpmiSensorType,
  KubeNodeSample,
  NodeEnergySample,
  NodePowerComponent,
  NodePowerSample,
  PodEnergySample,
  PodPowerSample,
  PodPowerSeries,
  NodePowerSeries,
  TimedValue,
} from './power.port';
import type { InvalidReading, InvalidReadingReason, WithInvalidReadings } from '../quality/reading-quality';
import {
  classifyReading,
  type ReadingField,
  ReadingJudge,
  type ReadingVerdict,
} from '../quality/reading-value';
import type { PromSample } from '../gpu-snapshot/gpu-join';
import { GAUGE_PARTS, IPMI_FAMILIES, KUBE_NODE_PARTS, NODE_PARTS, PART, POD_PARTS } from './power-queries';

/**
 * Pure joins from the tagged union answers of power-queries.ts into typed samples. Node identity comes from
 * whichever label the exporter uses; a BMC's node from the configured map or its address without the port.
 */
const stripPort = (instance: string): string => instance.replace(/:\d+$/, '');

export function nodeOfLabels(labels: Readonly<Record<string, string>>): string {
  return (
    labels.node_name ||
    labels.Hostname ||
    labels.hostname ||
    labels.exported_instance ||
    stripPort(labels.instance ?? '')
  );
}

export function bmcNodeOf(instance: string, map: Readonly<Record<string, string>>): string {
  return map[instance] ?? map[stripPort(instance)] ?? stripPort(instance);
}

type Fields = Partial<
  Record<NodePowerComponent | 'cpuCoreWatts' | 'keplerGpu' | 'dcgmGpu' | 'usage' | 'joules', number>
>;

/** Adds one tagged sample to the per-node fields; `scale` turns gauge averages into joules for energy readings. */
function nodeField(labels: Readonly<Record<string, string>>): keyof Fields | undefined {
  switch (labels[PART]) {
    case NODE_PARTS.cpu:
      return labels.zone === 'package'
        ? 'cpuPackageWatts'
        : labels.zone === 'core'
          ? 'cpuCoreWatts'
          : labels.zone === 'dram'
            ? 'dramWatts'
            : undefined;
    case NODE_PARTS.gpu:
      return 'keplerGpu';
    case NODE_PARTS.dcgmGpu:
      return 'dcgmGpu';
    case NODE_PARTS.npuFuriosa:
    case NODE_PARTS.npuRebellions:
      return 'npuWatts';
    case NODE_PARTS.other:
      return 'otherWatts';
    case NODE_PARTS.platform:
    case NODE_PARTS.platformCounter:
      return 'platformWatts';
    case NODE_PARTS.dcmi:
      return 'serverInputWatts';
    case NODE_PARTS.usage:
      return 'usage';
    case NODE_PARTS.cpuJoules:
    case NODE_PARTS.gpuJoules:
      return 'joules';
    default:
      return undefined;
  }
}

function nodeKeyOf(
  labels: Readonly<Record<string, string>>,
  bmcMap: Readonly<Record<string, string>>,
): string {
  return labels[PART] === NODE_PARTS.dcmi ? bmcNodeOf(labels.instance ?? '', bmcMap) : nodeOfLabels(labels);
}

/** The reading each node field is judged as (the name it is reported under in `invalidReadings`). */
const NODE_READING: Readonly<Record<keyof Fields, ReadingField>> = {
  cpuPackageWatts: 'cpuPackageWatts',
  cpuCoreWatts: 'cpuCoreWatts',
  dramWatts: 'dramWatts',
  gpuWatts: 'gpuWatts',
  keplerGpu: 'gpuWatts',
  dcgmGpu: 'gpuWatts',
  npuWatts: 'npuWatts',
  otherWatts: 'otherWatts',
  platformWatts: 'platformWatts',
  serverInputWatts: 'serverInputWatts',
  usage: 'cpuUtilizationPercent',
  joules: 'energyJoules',
};

/**
 * Judges one node reading: watts (an energy reading divided by its window first), Kepler's usage ratio as a percent,
 * joule counters as energy. Sums from PromQL (a node's boards, a component's zones) arrive here already summed, so a
 * blank in any part leaves the sum far out of range and refuses it as a whole: a partial sum would be a wrong number.
 */
function judgeNodeReading(field: keyof Fields, value: number, perSecond: number): ReadingVerdict {
  if (field === 'usage') return classifyReading('cpuUtilizationPercent', value, (r) => r * 100);
  if (field === 'joules') return classifyReading('energyJoules', value);
  return classifyReading(NODE_READING[field], value, (v) => v * perSecond);
}

interface NodeAcc {
  readonly fields: Fields;
  readonly refused: Map<keyof Fields, InvalidReadingReason>;
}

/**
 * A node's refusals by public field. The GPU power has two sources (Kepler, else the boards' exporter): a refusal of
 * one is not reported while the other gives the node its GPU power.
 */
function refusalsOf({ fields, refused }: NodeAcc): readonly InvalidReading[] | undefined {
  const gpuKnown = fields.keplerGpu !== undefined || fields.dcgmGpu !== undefined;
  const judge = new ReadingJudge();
  for (const [field, reason] of refused)
    if (!(gpuKnown && (field === 'keplerGpu' || field === 'dcgmGpu')))
      judge.refuse(NODE_READING[field], reason);
  return judge.invalidReadings;
}

function accumulate(
  samples: readonly PromSample[],
  bmcMap: Readonly<Record<string, string>>,
  scale: (part: string) => number,
  perSecond: (part: string) => number = () => 1,
): Map<string, NodeAcc> {
  const byNode = new Map<string, NodeAcc>();
  for (const { labels, value } of samples) {
    const field = nodeField(labels);
    const node = nodeKeyOf(labels, bmcMap);
    if (!field || !node) continue;
    let acc = byNode.get(node);
    if (!acc) byNode.set(node, (acc = { fields: {}, refused: new Map() }));
    if (acc.refused.has(field)) continue;
    // Energy readings are judged as the average power over the window they cover.
    const verdict = judgeNodeReading(field, value, perSecond(labels[PART]));
    if (!verdict.ok) {
      // Missing is honest; a blank or a NaN would poison every sum.
      acc.refused.set(field, verdict.reason);
      delete acc.fields[field];
      continue;
    }
    acc.fields[field] = (acc.fields[field] ?? 0) + value * scale(labels[PART]);
  }
  return byNode;
}

export function joinNodePower(
  cluster: string,
  samples: readonly PromSample[],
  bmcMap: Readonly<Record<string, string>>,
  observedAt: Date,
): NodePowerSample[] {
  return [...accumulate(samples, bmcMap, () => 1)].map(([node, acc]) => {
    const f = acc.fields;
    return {
      cluster,
      node,
      cpuPackageWatts: f.cpuPackageWatts,
      cpuCoreWatts: f.cpuCoreWatts,
      dramWatts: f.dramWatts,
      // Kepler's GPU power is experimental and off by default; the GPUs' own exporter is the fallback.
      gpuWatts: f.keplerGpu ?? f.dcgmGpu,
      npuWatts: f.npuWatts,
      otherWatts: f.otherWatts,
      platformWatts: f.platformWatts,
      serverInputWatts: f.serverInputWatts,
      cpuUtilizationPercent: f.usage === undefined ? undefined : f.usage * 100,
      energyJoules: f.joules,
      invalidReadings: refusalsOf(acc),
      observedAt,
    };
  });
}

export function joinNodeEnergy(
  cluster: string,
  samples: readonly PromSample[],
  bmcMap: Readonly<Record<string, string>>,
  windowSeconds: number,
): NodeEnergySample[] {
  const scale = (part: string): number => (GAUGE_PARTS.has(part) ? windowSeconds : 1);
  const perSecond = (part: string): number => (GAUGE_PARTS.has(part) ? 1 : 1 / windowSeconds);
  return [...accumulate(samples, bmcMap, scale, perSecond)].map(([node, { fields: f }]) => ({
    cluster,
    node,
    joules: dropUndefined({
      cpuPackageWatts: f.cpuPackageWatts,
      dramWatts: f.dramWatts,
      gpuWatts: f.keplerGpu ?? f.dcgmGpu,
      npuWatts: f.npuWatts,
      otherWatts: f.otherWatts,
      platformWatts: f.platformWatts,
      serverInputWatts: f.serverInputWatts,
    }),
  }));
}

export function joinNodePowerRange(
  cluster: string,
  series: readonly RangeSeries[],
  bmcMap: Readonly<Record<string, string>>,
): NodePowerSeries[] {
  const byNode = new Map<string, Partial<Record<keyof Fields, TimedValue[]>>>();
  const refused = new Map<string, RefusedSteps<keyof Fields>>();
  for (const s of series) {
    const field = nodeField(s.labels);
    const node = nodeKeyOf(s.labels, bmcMap);
    if (!field || !node) continue;
    const fields = byNode.get(node) ?? {};
    const steps = refused.get(node) ?? new RefusedSteps();
    const valid = steps.judge(field, s.points, (v) => judgeNodeReading(field, v, 1), NODE_READING[field]);
    fields[field] = addSeries(fields[field] ?? [], valid);
    byNode.set(node, fields);
    refused.set(node, steps);
  }
  return [...byNode].map(([node, raw]) => {
    const steps = refused.get(node)!;
    const f = steps.without(raw);
    return {
      cluster,
      node,
      invalidReadings: steps.invalidReadings,
      components: dropUndefined({
        cpuPackageWatts: f.cpuPackageWatts,
        dramWatts: f.dramWatts,
        gpuWatts: f.keplerGpu ?? f.dcgmGpu,
        npuWatts: f.npuWatts,
        otherWatts: f.otherWatts,
        platformWatts: f.platformWatts,
        serverInputWatts: f.serverInputWatts,
      }),
    };
  });
}

/**
 * The steps of range series whose reading was refused, per field: those steps leave the field's summed series (a sum
 * missing one part would be a wrong number), and each refusal is reported once per field.
 */
class RefusedSteps<F extends string> {
  private readonly steps = new Map<F, Set<number>>();
  private readonly refusals = new ReadingJudge();

  judge(
    field: F,
    points: readonly TimedValue[],
    verdictOf: (value: number) => ReadingVerdict,
    reportAs: string,
  ): TimedValue[] {
    const valid: TimedValue[] = [];
    for (const p of points) {
      const verdict = verdictOf(p.value);
      if (verdict.ok) {
        valid.push(p);
        continue;
      }
      const set = this.steps.get(field) ?? new Set<number>();
      set.add(p.timestampMs);
      this.steps.set(field, set);
      this.refusals.refuse(reportAs, verdict.reason);
    }
    return valid;
  }

  /** The fields' series without their refused steps. */
  without<T extends Partial<Record<F, TimedValue[]>>>(fields: T): T {
    const out: T = { ...fields };
    for (const [field, set] of this.steps) {
      const series = out[field];
      if (series) out[field] = series.filter((p) => !set.has(p.timestampMs)) as T[F];
    }
    return out;
  }

  get invalidReadings(): readonly InvalidReading[] | undefined {
    return this.refusals.invalidReadings;
  }
}

/** Pointwise sum of two series on the same step grid. */
export function addSeries(a: readonly TimedValue[], b: readonly TimedValue[]): TimedValue[] {
  const sum = new Map<number, number>();
  for (const p of [...a, ...b]) sum.set(p.timestampMs, (sum.get(p.timestampMs) ?? 0) + p.value);
  return [...sum].sort(([x], [y]) => x - y).map(([timestampMs, value]) => ({ timestampMs, value }));
}

function dropUndefined<T extends object>(o: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

// --- pods and containers

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
    const field = POWER_FIELD[labels[PART]];
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
    const field = POWER_FIELD[labels[PART]];
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
    const [namespace, pod, container] = key.split('/');
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
    if (
      !POWER_FIELD[s.labels[PART]] ||
      s.labels[PART] === POD_PARTS.cpuJoules ||
      s.labels[PART] === POD_PARTS.gpuJoules
    )
      continue;
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
    const field = POWER_FIELD[s.labels[PART]];
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

export function joinKubeNodes(cluster: string, samples: readonly PromSample[]): KubeNodeSample[] {
  const nodes = new Map<
    string,
    {
      internalIp?: string;
      kubeletVersion?: string;
      capacity: { resource: string; count: number }[];
      allocatable: { resource: string; count: number }[];
    }
  >();
  const at = (node: string) =>
    nodes.get(node) ?? (nodes.set(node, { capacity: [], allocatable: [] }), nodes.get(node)!);
  for (const { labels: l, value } of samples) {
    if (!l.node || !Number.isFinite(value)) continue;
    const n = at(l.node);
    if (l[PART] === KUBE_NODE_PARTS.info)
      Object.assign(n, {
        internalIp: l.internal_ip || undefined,
        kubeletVersion: l.kubelet_version || undefined,
      });
    else if (l[PART] === KUBE_NODE_PARTS.capacity) n.capacity.push({ resource: l.resource, count: value });
    else if (l[PART] === KUBE_NODE_PARTS.allocatable)
      n.allocatable.push({ resource: l.resource, count: value });
  }
  const byResource = (a: { resource: string }, b: { resource: string }): number =>
    a.resource.localeCompare(b.resource);
  return [...nodes].map(([node, n]) => ({
    cluster,
    node,
    ...n,
    capacity: n.capacity.sort(byResource),
    allocatable: n.allocatable.sort(byResource),
  }));
}

const TYPE_OF_FAMILY = new Map<string, { type: IpmiSensorType; kind: 'value' | 'state' }>(
  (Object.entries(IPMI_FAMILIES) as [IpmiSensorType, (typeof IPMI_FAMILIES)[IpmiSensorType]][]).flatMap(
    ([type, f]) => [
      [f.value, { type, kind: 'value' as const }],
      [f.state, { type, kind: 'state' as const }],
    ],
  ),
);

export function joinIpmiSensors(
  cluster: string,
  samples: readonly (PromSample & { readonly timestampMs?: number })[],
  bmcMap: Readonly<Record<string, string>>,
): IpmiSensorSample[] {
  const sensors = new Map<
    string,
    {
      bmc: string;
      id: string;
      name: string;
      type: IpmiSensorType;
      value?: number;
      state?: number;
      at: number;
      invalidReadings?: readonly InvalidReading[];
    }
  >();
  for (const { labels: l, value, timestampMs } of samples) {
    const family = TYPE_OF_FAMILY.get(l.__name__ ?? '');
    if (!family) continue;
    const bmc = l.instance ?? '';
    const key = `${bmc}\u0000${family.type}\u0000${l.id}`;
    const s = sensors.get(key) ?? { bmc, id: l.id ?? '', name: l.name ?? '', type: family.type, at: 0 };
    if (family.kind === 'value') {
      const verdict = classifyReading(`ipmi.${family.type}`, value);
      s.value = verdict.ok ? verdict.value : undefined;
      s.invalidReadings = verdict.ok ? undefined : [{ field: 'value', reason: verdict.reason }];
    } else if (Number.isFinite(value)) s.state = value;
    s.at = Math.max(s.at, timestampMs ?? 0);
    sensors.set(key, s);
  }
  // A sensor whose reading was refused is still listed: its value is null, with the reason.
  return [...sensors.values()]
    .filter((s) => s.value !== undefined || s.invalidReadings !== undefined)
    .map((s) => ({
      cluster,
      node: bmcNodeOf(s.bmc, bmcMap),
      bmc: s.bmc,
      id: s.id,
      name: s.name,
      type: s.type,
      value: s.value,
      state: s.state,
      invalidReadings: s.invalidReadings,
      observedAt: new Date(s.at),
    }));
}
