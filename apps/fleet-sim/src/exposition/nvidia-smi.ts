import type { ReportedGpu, SimGpuProcess } from '@kcloud/fleet-model';

import { formatGoFloat, sortedLabelSet } from './go-float';
import { escapeLabelValue, familyHeader } from './text-format';

/**
 * utkuozdemir/nvidia_gpu_exporter (METRICS.md §6.1): nvidia-smi query fields turned into `nvidia_smi_*` gauges with
 * unit rules (`[MiB]` → `_bytes` ×1048576, `[MHz]` → `_clock_hz` ×1e6, `[%]` → `_ratio` ×0.01, `[W]` → `_watts`), every
 * per-GPU series labelled only by `uuid` — lower case, without the `GPU-` prefix. There is no host label: the node
 * comes from the scrape (a `node` target label, or the instance). client_golang output: families and labels sorted.
 */
const MIB = 1024 * 1024;

/** `compute_cap` as nvidia-smi prints it for the simulated models. */
const COMPUTE_CAP: Readonly<Record<string, string>> = {
  'NVIDIA H100 80GB HBM3': '9.0',
  'NVIDIA A100-SXM4-80GB': '8.0',
  'NVIDIA A100 80GB PCIe': '8.0',
  'NVIDIA L40S': '8.9',
  'Tesla T4': '7.5',
};

/** nvidia_gpu_exporter's uuid label: the NVML UUID without `GPU-`, lower case. */
export function nvidiaSmiUuid(uuid: string): string {
  return uuid.replace(/^GPU-/i, '').toLowerCase();
}

interface Row {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

interface Family {
  readonly name: string;
  readonly help: string;
  readonly rows: (gpus: readonly ReportedGpu[], processes: readonly SimGpuProcess[]) => readonly Row[];
}

const perGpu =
  (value: (g: ReportedGpu) => number | undefined) =>
  (gpus: readonly ReportedGpu[]): Row[] =>
    gpus.flatMap((g) => {
      const v = value(g);
      // Fields nvidia-smi prints as [N/A] (utilisation of a MIG-enabled GPU) are skipped, as the exporter does.
      return v === undefined ? [] : [{ labels: { uuid: nvidiaSmiUuid(g.uuid) }, value: v }];
    });

/** A gauge with one series per GPU that has the field. */
const gpuGauge = (name: string, help: string, value: (g: ReportedGpu) => number | undefined): Family => ({
  name,
  help,
  rows: perGpu(value),
});

const app = (p: SimGpuProcess): Record<string, string> => ({
  pid: String(p.pid),
  process_name: p.name,
  uuid: nvidiaSmiUuid(p.gpuUuid),
});

const FAMILIES: readonly Family[] = [
  gpuGauge('nvidia_smi_clocks_current_sm_clock_hz', 'clocks.current.sm [MHz]', (g) => g.smClockMHz * 1e6),
  {
    name: 'nvidia_smi_command_exit_code',
    help: 'Exit code of the most recent nvidia-smi run',
    rows: () => [{ labels: {}, value: 0 }],
  },
  {
    name: 'nvidia_smi_compute_app_info',
    help: "A metric with a constant '1' value labeled by the identity of a process with a compute context on a GPU.",
    rows: (_, procs) => procs.map((p) => ({ labels: app(p), value: 1 })),
  },
  {
    name: 'nvidia_smi_compute_app_used_memory_bytes',
    help: 'GPU memory used by the process. Absent when the driver cannot report it (e.g. Windows WDDM).',
    rows: (_, procs) => procs.map((p) => ({ labels: app(p), value: p.gpuMemoryUsedMiB * MIB })),
  },
  {
    name: 'nvidia_smi_compute_apps',
    help: 'Number of processes with a compute context on the GPU.',
    rows: (gpus, procs) => perGpu((g) => procs.filter((p) => p.gpuUuid === g.uuid).length)(gpus),
  },
  gpuGauge('nvidia_smi_enforced_power_limit_watts', 'enforced.power.limit [W]', (g) => g.powerLimitWatts),
  {
    name: 'nvidia_smi_gpu_info',
    help: "A metric with a constant '1' value labeled by gpu uuid, name, driver_model_current, driver_model_pending, vbios_version, driver_version, pci_bus_id, serial, compute_cap, pci_sub_device_id, index, cuda_version.",
    rows: (gpus) =>
      gpus.map((g) => ({
        labels: {
          compute_cap: COMPUTE_CAP[g.model] ?? '8.0',
          cuda_version: '13.0',
          driver_model_current: '[N/A]',
          driver_model_pending: '[N/A]',
          driver_version: g.driverVersion ?? '',
          index: String(g.index),
          name: g.model,
          pci_bus_id: g.pciBusId ?? '',
          pci_sub_device_id: '0x16C110DE',
          serial: '0000000000000',
          uuid: nvidiaSmiUuid(g.uuid),
          vbios_version: '96.00.A5.00.01',
        },
        value: 1,
      })),
  },
  gpuGauge('nvidia_smi_index', 'index', (g) => g.index),
  {
    name: 'nvidia_smi_last_collect_success',
    help: 'Whether the most recent collection succeeded (1) or not (0)',
    rows: () => [{ labels: {}, value: 1 }],
  },
  gpuGauge('nvidia_smi_memory_free_bytes', 'memory.free [MiB]', (g) => mib(g.memoryFreeMiB)),
  gpuGauge('nvidia_smi_memory_reserved_bytes', 'memory.reserved [MiB]', (g) => mib(g.memoryReservedMiB)),
  gpuGauge(
    'nvidia_smi_memory_total_bytes',
    'memory.total [MiB]',
    (g) => (g.memoryUsedMiB + (g.memoryFreeMiB ?? 0) + (g.memoryReservedMiB ?? 0)) * MIB,
  ),
  gpuGauge('nvidia_smi_memory_used_bytes', 'memory.used [MiB]', (g) => g.memoryUsedMiB * MIB),
  gpuGauge('nvidia_smi_power_draw_watts', 'power.draw [W]', (g) => g.powerWatts),
  gpuGauge('nvidia_smi_power_limit_watts', 'power.limit [W]', (g) => g.powerLimitWatts),
  gpuGauge('nvidia_smi_pstate', 'pstate', (g) => ((g.utilizationPercent ?? 0) > 0 ? 0 : 8)),
  gpuGauge('nvidia_smi_temperature_gpu', 'temperature.gpu', (g) => g.temperatureCelsius),
  gpuGauge('nvidia_smi_utilization_gpu_ratio', 'utilization.gpu [%]', (g) => ratio(g.utilizationPercent)),
  gpuGauge('nvidia_smi_utilization_memory_ratio', 'utilization.memory [%]', (g) =>
    ratio(g.memoryCopyUtilizationPercent),
  ),
];

function mib(value: number | undefined): number | undefined {
  return value === undefined ? undefined : value * MIB;
}

function ratio(percent: number | undefined): number | undefined {
  return percent === undefined ? undefined : percent * 0.01;
}

/** One scrape of nvidia_gpu_exporter on one node: its GPUs and their compute processes. */
export function renderNvidiaSmi(gpus: readonly ReportedGpu[], processes: readonly SimGpuProcess[]): string {
  const lines: string[] = [];
  for (const family of FAMILIES) {
    const rows = family.rows(gpus, processes);
    if (rows.length === 0) continue;
    lines.push(familyHeader(family.name, family.help, 'gauge'));
    const text = rows.map(
      (r) => `${family.name}${sortedLabelSet(r.labels, escapeLabelValue)} ${formatGoFloat(r.value)}`,
    );
    lines.push(...text.sort());
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}
