import { ENERGY_EPOCH_MS, findNpuModel } from '@kcloud/fleet-model';
import type { SimNpu, WorkloadPattern } from '@kcloud/fleet-model';

import { formatGoFloat, sortedLabelSet } from './go-float';
import { escapeLabelValue, familyHeader, type MetricType } from './text-format';

/**
 * furiosa-metrics-exporter ≥ 2025.2.0 (METRICS.md §4.1): client_golang output, so families sorted by name and labels
 * sorted by name. Its LabelFilterCollector drops empty labels, so an unallocated card has no namespace/pod/container.
 * Device-wise families carry the card's core range (`core="0-7"`), core-wise ones a single core.
 */
const PERT_VERSION = '2025.2.0+1694e18';

/**
 * The cycle counters must stay monotonic, so they advance at a per-pattern duty cycle rather than the current
 * utilisation: `rate(task)/rate(total)` then shows the long-run busy share, not the current bucket's.
 */
const DUTY: Readonly<Record<WorkloadPattern, number>> = {
  training: 0.9,
  inference: 0.45,
  notebook: 0,
  unallocated: 0,
  'dataloader-stall': 0.5,
  'allocated-empty': 0,
  'prof-zero': 0.9,
};

interface Family {
  readonly name: string;
  readonly help: string;
  readonly type: MetricType;
  readonly rows: (npu: SimNpu, atMs: number) => readonly (readonly [Record<string, string>, number])[];
}

const cores = (npu: SimNpu): number[] => Array.from({ length: npu.coreCount }, (_, c) => c);
const deviceCore = (npu: SimNpu): string => (npu.coreCount > 1 ? `0-${npu.coreCount - 1}` : '0');
const totalCycles = (npu: SimNpu, atMs: number): number =>
  Math.floor((npu.coreFrequencyMHz * 1e6 * Math.max(0, atMs - ENERGY_EPOCH_MS)) / 1000);

const FAMILIES: readonly Family[] = [
  {
    name: 'furiosa_npu_alive',
    help: 'The liveness of NPU device',
    type: 'gauge',
    rows: (n) => [[{}, n.healthy ? 1 : 0]],
  },
  {
    name: 'furiosa_npu_core_frequency',
    help: 'The current core frequency of NPU device',
    type: 'gauge',
    rows: (n) => cores(n).map((c) => [{ core: String(c) }, n.coreFrequencyMHz]),
  },
  {
    name: 'furiosa_npu_core_utilization',
    help: 'The current core utilization of NPU device',
    type: 'gauge',
    rows: (n) => cores(n).map((c) => [{ core: String(c) }, n.coreUtilizationPercent[c] ?? 0]),
  },
  {
    name: 'furiosa_npu_hw_power',
    help: 'The current power of NPU device',
    type: 'gauge',
    rows: (n) => [[{ label: 'rms' }, n.powerWatts]],
  },
  {
    name: 'furiosa_npu_hw_temperature',
    help: 'The current temperature of NPU device',
    type: 'gauge',
    rows: (n) => [
      [{ label: 'ambient' }, n.ambientTemperatureCelsius ?? n.temperatureCelsius],
      [{ label: 'peak' }, n.temperatureCelsius],
    ],
  },
  {
    name: 'furiosa_npu_task_execution_cycle',
    help: 'The current task execution cycle of NPU device',
    type: 'counter',
    rows: (n, at) =>
      cores(n).map((c) => [{ core: String(c) }, Math.floor(totalCycles(n, at) * DUTY[n.pattern])]),
  },
  {
    name: 'furiosa_npu_total_cycle_count',
    help: 'The current total cycle count of NPU device',
    type: 'counter',
    rows: (n, at) => cores(n).map((c) => [{ core: String(c) }, totalCycles(n, at)]),
  },
];

function commonLabels(npu: SimNpu): Record<string, string> {
  const labels: Record<string, string> = {
    arch: findNpuModel(npu.model)?.arch ?? npu.model.toLowerCase(),
    core: deviceCore(npu),
    device: npu.device,
    uuid: npu.uuid,
    pci_bus_id: npu.pciBusId,
    firmware_version: npu.firmwareVersion,
    pert_version: PERT_VERSION,
    driver_version: npu.driverVersion,
    hostname: npu.node,
    namespace: npu.namespace ?? '',
    pod: npu.pod ?? '',
    container: npu.container ?? '',
  };
  for (const key of Object.keys(labels)) if (labels[key] === '') delete labels[key];
  return labels;
}

/** One scrape of furiosa-metrics-exporter on the node(s) holding `npus` (Furiosa cards only are rendered). */
export function renderFuriosa(npus: readonly SimNpu[], atMs: number): string {
  const cards = npus.filter((n) => n.vendor === 'furiosa');
  if (cards.length === 0) return '';
  const lines: string[] = [];
  for (const family of FAMILIES) {
    lines.push(familyHeader(family.name, family.help, family.type));
    const rows = cards.flatMap((npu) =>
      family.rows(npu, atMs).map(([extra, value]) => {
        const labels = sortedLabelSet({ ...commonLabels(npu), ...extra }, escapeLabelValue);
        return `${family.name}${labels} ${formatGoFloat(value)}`;
      }),
    );
    lines.push(...rows.sort());
  }
  return `${lines.join('\n')}\n`;
}
