import type { RangeSeries } from '@kcloud/prometheus';
import type { PromSample } from '../shared/prom-sample';
import type { InvalidReading, InvalidReadingReason } from '../quality/reading-quality';
import {
  classifyReading,
  type ReadingField,
  ReadingJudge,
  type ReadingVerdict,
} from '../quality/reading-value';
import { bmcNodeOf, nodeOfLabels } from './node-identity';
import { GAUGE_PARTS, NODE_PARTS } from './node-power-query';
import { PART } from './power-promql';
import type {
  NodeEnergySample,
  NodePowerComponent,
  NodePowerSample,
  NodePowerSeries,
  TimedValue,
} from './power.port';
import { addSeries, dropUndefined, RefusedSteps } from './series-fold';

/** Pure joins of the node power query's tagged union answer into per-node samples, energies and series. */
type FieldName = NodePowerComponent | 'cpuCoreWatts' | 'keplerGpu' | 'dcgmGpu' | 'usage' | 'joules';
type Fields = Partial<Record<FieldName, number>>;

/**
 * The public node components of one node's fields, whatever they hold (watts, joules, series): the one fold shared
 * by current power, energy and ranges. Kepler's GPU power is experimental and off by default; the GPUs' own exporter
 * is the fallback.
 */
function componentsOf<T>(f: Partial<Record<FieldName, T>>): Record<NodePowerComponent, T | undefined> {
  return {
    cpuPackageWatts: f.cpuPackageWatts,
    dramWatts: f.dramWatts,
    gpuWatts: f.keplerGpu ?? f.dcgmGpu,
    npuWatts: f.npuWatts,
    otherWatts: f.otherWatts,
    platformWatts: f.platformWatts,
    serverInputWatts: f.serverInputWatts,
  };
}

/** The node field each tagged part adds to (CPU parts by their zone). */
const FIELD_OF_ZONE = new Map<string, keyof Fields>([
  ['package', 'cpuPackageWatts'],
  ['core', 'cpuCoreWatts'],
  ['dram', 'dramWatts'],
]);
const FIELD_OF_PART = new Map<string, keyof Fields>([
  [NODE_PARTS.gpu, 'keplerGpu'],
  [NODE_PARTS.dcgmGpu, 'dcgmGpu'],
  [NODE_PARTS.npuFuriosa, 'npuWatts'],
  [NODE_PARTS.npuRebellions, 'npuWatts'],
  [NODE_PARTS.other, 'otherWatts'],
  [NODE_PARTS.platform, 'platformWatts'],
  [NODE_PARTS.platformCounter, 'platformWatts'],
  [NODE_PARTS.dcmi, 'serverInputWatts'],
  [NODE_PARTS.usage, 'usage'],
  [NODE_PARTS.cpuJoules, 'joules'],
  [NODE_PARTS.gpuJoules, 'joules'],
]);

function nodeField(labels: Readonly<Record<string, string>>): keyof Fields | undefined {
  const part = labels[PART] ?? '';
  return part === NODE_PARTS.cpu ? FIELD_OF_ZONE.get(labels.zone ?? '') : FIELD_OF_PART.get(part);
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
    const part = labels[PART] ?? '';
    const verdict = judgeNodeReading(field, value, perSecond(part));
    if (!verdict.ok) {
      // Missing is honest; a blank or a NaN would poison every sum.
      acc.refused.set(field, verdict.reason);
      delete acc.fields[field];
      continue;
    }
    acc.fields[field] = (acc.fields[field] ?? 0) + value * scale(part);
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
      ...componentsOf(f),
      cpuCoreWatts: f.cpuCoreWatts,
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
    joules: dropUndefined(componentsOf(f)),
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
      components: dropUndefined(componentsOf(f)),
    };
  });
}
