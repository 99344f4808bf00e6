import { findGpuModel } from './gpu-models';
import type { SimGpuHealth } from './gpu-faults';
import type { SimGpu } from './types';

/**
 * Which GPU exporter a simulated cluster runs (scenario key `gpuExporter`, default dcgm). all-smi is simulated in both
 * label generations: `all-smi` (≥ v0.21: `gpu_uuid`, `gpu_index`) and `all-smi-v0.20` (≤ v0.20: `uuid`, `index`).
 */
export type SimGpuExporter = 'dcgm' | 'all-smi' | 'all-smi-v0.20' | 'nvidia-smi' | 'nvidia-gpu';
export const SIM_GPU_EXPORTERS: readonly SimGpuExporter[] = [
  'dcgm',
  'all-smi',
  'all-smi-v0.20',
  'nvidia-smi',
  'nvidia-gpu',
];

export function isSimGpuExporter(value: unknown): value is SimGpuExporter {
  return typeof value === 'string' && (SIM_GPU_EXPORTERS as readonly string[]).includes(value);
}

/** Fields some exporters cannot report: absent in their output, so absent from what they "report". */
type ExporterDependent =
  | 'pciBusId'
  | 'driverVersion'
  | 'memoryFreeMiB'
  | 'memoryReservedMiB'
  | 'powerLimitWatts'
  | 'memoryTemperatureCelsius'
  | 'memClockMHz'
  | 'energyMillijoules'
  | 'grEngineActiveRatio'
  | 'dramActiveRatio'
  | 'tensorActiveRatio'
  | keyof SimGpuHealth;

/** One GPU as one exporter reports it: the dcgm view (SimGpu) with the fields that exporter lacks left out. */
export type ReportedGpu = Omit<SimGpu, ExporterDependent> & Partial<Pick<SimGpu, ExporterDependent>>;

/**
 * The rows an exporter prints for a cluster's GPUs. dcgm-exporter reports MIG instances; all-smi and
 * nvidia_gpu_exporter see physical GPUs only, and neither knows which pod holds a GPU (no kubelet pod-resources
 * lookup), so their rows carry no tenant.
 */
export function reportedGpus(exporter: SimGpuExporter, rows: readonly SimGpu[]): readonly ReportedGpu[] {
  switch (exporter) {
    case 'dcgm':
      return rows;
    case 'all-smi':
    case 'all-smi-v0.20':
      return wholeGpus(rows).map((g) => allSmiView(g, exporter === 'all-smi-v0.20'));
    case 'nvidia-smi':
      return wholeGpus(rows).map(nvidiaSmiView);
    case 'nvidia-gpu':
      return wholeGpus(rows).map(nvidiaGpuView);
  }
}

/**
 * Folds MIG instance rows back into their physical GPU: board values are repeated on every instance row already,
 * memory used is the instances' sum, utilisation is unknown (NVML reports it as N/A on MIG-enabled GPUs).
 */
function wholeGpus(rows: readonly SimGpu[]): SimGpu[] {
  const out: SimGpu[] = [];
  const mig = new Map<string, [SimGpu, ...SimGpu[]]>();
  for (const row of rows) {
    if (row.migInstanceId === undefined) out.push(row);
    else if (mig.has(row.uuid)) mig.get(row.uuid)!.push(row);
    else {
      const group: [SimGpu, ...SimGpu[]] = [row];
      mig.set(row.uuid, group);
      out.push(row); // placeholder keeps the GPU's position; replaced below
    }
  }
  return out.map((row) => {
    const group = row.migInstanceId === undefined ? undefined : mig.get(row.uuid);
    return group ? foldMig(group) : row;
  });
}

function foldMig(instances: readonly [SimGpu, ...SimGpu[]]): SimGpu {
  const [first] = instances;
  const spec = findGpuModel(first.model);
  const total = spec?.memoryTotalMiB ?? 0;
  const reserved = spec?.memoryReservedMiB ?? 0;
  const used = instances.reduce((sum, i) => sum + i.memoryUsedMiB, 0);
  return {
    ...first,
    migProfile: undefined,
    migInstanceId: undefined,
    namespace: undefined,
    pod: undefined,
    container: undefined,
    utilizationPercent: undefined,
    memoryCopyUtilizationPercent: undefined,
    memoryUsedMiB: used,
    memoryFreeMiB: total - reserved - used,
    memoryReservedMiB: reserved,
  };
}

/**
 * all-smi (NVIDIA reader): name, utilisation, memory used/total in bytes, temperature, power, graphics clock, power
 * limit and driver version; no memory-copy utilisation, no PCI id on the base labels, no reservation (so free is
 * total − used). ≤ v0.20 printed utilisation unconditionally (0 when NVML had none); ≥ v0.21 omits it.
 */
function allSmiView(g: SimGpu, legacy: boolean): ReportedGpu {
  const total = g.memoryUsedMiB + g.memoryFreeMiB + g.memoryReservedMiB;
  return {
    ...untenanted(g),
    utilizationPercent: g.utilizationPercent ?? (legacy ? 0 : undefined),
    memoryCopyUtilizationPercent: undefined,
    memoryFreeMiB: total - g.memoryUsedMiB,
    powerLimitWatts: g.powerLimitWatts,
    driverVersion: g.driverVersion,
  };
}

/**
 * nvidia_gpu_exporter (nvidia-smi CSV backend): utilisation and memory-controller utilisation, memory used/free/
 * reserved, power as nvidia-smi prints it (two decimals), power limit, temperature, SM clock, PCI id, driver; the
 * energy counter exists only with its NVML backend, so it is left out here. The nvidia-gpu view plus what nvidia-smi
 * adds to it.
 */
function nvidiaSmiView(g: SimGpu): ReportedGpu {
  return {
    ...nvidiaGpuView(g),
    powerWatts: Math.round(g.powerWatts * 100) / 100,
    powerLimitWatts: g.powerLimitWatts,
    pciBusId: g.pciBusId,
    driverVersion: g.driverVersion,
  };
}

/**
 * The `nvidia_gpu_*{node, gpu}` family seed 004's backend reads ("nvidia-gpu-exporter"): utilisation, memory
 * utilisation, memory used/total/free in bytes, temperature; no power, clocks or UUID (a GPU is its node and index).
 */
function nvidiaGpuView(g: SimGpu): ReportedGpu {
  // Board power and clock stay in the view (every exporter's view has them); the renderer prints neither.
  return {
    ...untenanted(g),
    utilizationPercent: g.utilizationPercent,
    memoryCopyUtilizationPercent: g.memoryCopyUtilizationPercent,
    memoryFreeMiB: g.memoryFreeMiB,
    memoryReservedMiB: g.memoryReservedMiB,
  };
}

/** The identity and board readings every exporter has; everything exporter-dependent starts out absent. */
function untenanted(g: SimGpu): ReportedGpu {
  return {
    cluster: g.cluster,
    node: g.node,
    uuid: g.uuid,
    index: g.index,
    model: g.model,
    pattern: g.pattern,
    memoryUsedMiB: g.memoryUsedMiB,
    powerWatts: g.powerWatts,
    temperatureCelsius: g.temperatureCelsius,
    smClockMHz: g.smClockMHz,
  };
}
