import { findGpuModel } from '@kcloud/fleet-model';
import type { ReportedGpu, SimGpuProcess, SimNpu } from '@kcloud/fleet-model';

import { escapeLabelValue } from './text-format';

/**
 * all-smi in API mode (METRICS.md §5): text written by hand, so `# HELP`/`# TYPE` are repeated for every device
 * (families interleaved per GPU), labels joined with ", ", numbers printed by Rust's Display (never an exponent; JS
 * String() agrees for these magnitudes). Two label generations: ≥ v0.21 `gpu_uuid`/`gpu_index`, ≤ v0.20
 * `uuid`/`index`. `instance` is the host name; Prometheus renames it `exported_instance` unless honor_labels.
 */
export type AllSmiLabels = 'current' | 'v0.20';

const MIB = 1024 * 1024;

type Pairs = readonly (readonly [string, string])[];

class Builder {
  private readonly lines: string[] = [];

  metric(name: string, help: string, type: 'gauge' | 'counter', labels: Pairs, value: number | string): this {
    this.lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    const text = labels.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(', ');
    this.lines.push(`${name}{${text}} ${String(value)}`);
    return this;
  }

  build(): string {
    return this.lines.length ? `${this.lines.join('\n')}\n` : '';
  }
}

/** HELP texts changed in v0.21 when unknown readings started to be omitted instead of printed as 0. */
type HelpTexts = Readonly<
  Record<'utilization' | 'temperature' | 'power' | 'frequency' | 'ane' | 'process', string>
>;
const HELP: Readonly<Record<AllSmiLabels, HelpTexts>> = {
  'v0.20': {
    utilization: 'GPU utilization percentage',
    temperature: 'GPU temperature in celsius',
    power: 'GPU power consumption in watts',
    frequency: 'GPU frequency in MHz',
    ane: 'ANE utilization in mW',
    process: 'Process memory used in bytes',
  },
  current: {
    utilization: 'GPU utilization percentage (omitted when the device reports no utilization)',
    temperature: 'GPU temperature in celsius (omitted when no sensor reports one)',
    power: 'GPU power consumption in watts (omitted when the device reports no power)',
    frequency: 'GPU frequency in MHz (omitted when the device exposes no clock probe)',
    ane: 'ANE utilization in mW (omitted when the native metrics source is unavailable)',
    process: 'Process GPU memory used in bytes',
  },
};

/** all-smi's device labels in either generation. */
function baseLabels(
  name: string,
  node: string,
  uuid: string,
  index: number,
  generation: AllSmiLabels,
): Pairs {
  return generation === 'current'
    ? [
        ['gpu', name],
        ['instance', node],
        ['gpu_uuid', uuid],
        ['gpu_index', String(index)],
      ]
    : [
        ['gpu', name],
        ['instance', node],
        ['uuid', uuid],
        ['index', String(index)],
      ];
}

/** all-smi's device name of an NPU card: vendor and product (`Furiosa RNGD`, `Rebellions RBLN-CA12`). */
const NPU_NAME_PREFIX: Readonly<Record<SimNpu['vendor'], string>> = {
  furiosa: 'Furiosa',
  rebellions: 'Rebellions',
  google: 'Google',
};
export const allSmiNpuName = (n: SimNpu): string => `${NPU_NAME_PREFIX[n.vendor]} ${n.model}`;

/**
 * One all-smi scrape: per GPU its basic readings, device info and NVIDIA extras, then the NPU cards (all-smi writes
 * the GPU families for every device, with `type="NPU"` in the info row, plus its npu_* families), then one block per
 * process.
 */
export function renderAllSmi(
  gpus: readonly ReportedGpu[],
  processes: readonly SimGpuProcess[],
  generation: AllSmiLabels,
  npus: readonly SimNpu[] = [],
): string {
  const b = new Builder();
  const help = HELP[generation];
  for (const g of gpus) {
    const base = baseLabels(g.model, g.node, g.uuid, g.index, generation);
    const totalMiB = g.memoryUsedMiB + (g.memoryFreeMiB ?? 0) + (g.memoryReservedMiB ?? 0);
    if (g.utilizationPercent !== undefined)
      b.metric('all_smi_gpu_utilization', help.utilization, 'gauge', base, g.utilizationPercent);
    b.metric(
      'all_smi_gpu_memory_used_bytes',
      'GPU memory used in bytes',
      'gauge',
      base,
      g.memoryUsedMiB * MIB,
    );
    b.metric('all_smi_gpu_memory_total_bytes', 'GPU memory total in bytes', 'gauge', base, totalMiB * MIB);
    b.metric('all_smi_gpu_temperature_celsius', help.temperature, 'gauge', base, g.temperatureCelsius);
    b.metric('all_smi_gpu_power_consumption_watts', help.power, 'gauge', base, g.powerWatts);
    b.metric('all_smi_gpu_frequency_mhz', help.frequency, 'gauge', base, g.smClockMHz);
    // Non-Apple readers print a literal 0 meaning "not applicable".
    b.metric('all_smi_ane_utilization', help.ane, 'gauge', base, 0);
    const info: Pairs = [
      ...base,
      ['type', 'GPU'],
      ['driver_version', g.driverVersion ?? ''],
      ['cuda_version', '13.0'],
      ['lib_name', 'NVML'],
      ['lib_version', g.driverVersion ?? ''],
    ];
    b.metric('all_smi_gpu_info', 'GPU/NPU device information', 'gauge', info, 1);
    const spec = findGpuModel(g.model);
    if (spec)
      b.metric(
        'all_smi_gpu_clock_graphics_max_mhz',
        'Maximum graphics clock in MHz',
        'gauge',
        base,
        spec.smClockMaxMHz,
      );
    if (g.powerLimitWatts !== undefined) {
      b.metric(
        'all_smi_gpu_power_limit_current_watts',
        'Current power limit in watts',
        'gauge',
        base,
        g.powerLimitWatts,
      );
      b.metric(
        'all_smi_gpu_power_limit_max_watts',
        'Maximum power limit in watts',
        'gauge',
        base,
        g.powerLimitWatts,
      );
    }
  }
  for (const n of npus) renderNpu(b, n, generation);
  for (const p of processes) {
    const labels: Pairs =
      generation === 'current'
        ? [
            ['pid', String(p.pid)],
            ['name', p.name],
            ['user', p.user ?? ''],
            ['device_id', String(p.gpuIndex)],
            ['gpu_index', String(p.gpuIndex)],
            ['device_uuid', p.gpuUuid],
            ['command', p.command ?? ''],
          ]
        : [
            ['pid', String(p.pid)],
            ['name', p.name],
            ['device_id', String(p.gpuIndex)],
            ['device_uuid', p.gpuUuid],
          ];
    b.metric('all_smi_process_memory_used_bytes', help.process, 'gauge', labels, p.gpuMemoryUsedMiB * MIB);
    if (generation === 'current' && p.cpuPercent !== undefined)
      // Printed with `{:.2}`.
      b.metric(
        'all_smi_process_cpu_percent',
        'Process CPU utilization percentage',
        'gauge',
        labels,
        p.cpuPercent.toFixed(2),
      );
  }
  return b.build();
}

/** One NPU/TPU card as all-smi lists it; memory only when the card reports it (not Furiosa's). */
function renderNpu(b: Builder, n: SimNpu, generation: AllSmiLabels): void {
  const help = HELP[generation];
  const base = baseLabels(allSmiNpuName(n), n.node, n.uuid, n.index, generation);
  b.metric('all_smi_gpu_utilization', help.utilization, 'gauge', base, n.utilizationPercent);
  if (n.memoryUsedMiB !== undefined && n.memoryTotalMiB !== undefined) {
    b.metric(
      'all_smi_gpu_memory_used_bytes',
      'GPU memory used in bytes',
      'gauge',
      base,
      n.memoryUsedMiB * MIB,
    );
    b.metric(
      'all_smi_gpu_memory_total_bytes',
      'GPU memory total in bytes',
      'gauge',
      base,
      n.memoryTotalMiB * MIB,
    );
  }
  b.metric('all_smi_gpu_temperature_celsius', help.temperature, 'gauge', base, n.temperatureCelsius);
  b.metric('all_smi_gpu_power_consumption_watts', help.power, 'gauge', base, n.powerWatts);
  b.metric('all_smi_gpu_frequency_mhz', help.frequency, 'gauge', base, n.coreFrequencyMHz);
  const info: Pairs = [
    ...base,
    ['type', n.vendor === 'google' ? 'TPU' : 'NPU'],
    ['driver_version', n.driverVersion],
  ];
  b.metric('all_smi_gpu_info', 'GPU/NPU device information', 'gauge', info, 1);
  const npu: Pairs = [
    ['npu', allSmiNpuName(n)],
    ['instance', n.node],
    ['uuid', n.uuid],
    ['index', String(n.index)],
  ];
  if (n.firmwareVersion)
    b.metric(
      'all_smi_npu_firmware_info',
      'NPU firmware version',
      'gauge',
      [...npu, ['firmware', n.firmwareVersion]],
      1,
    );
}
