import { makeGaugeProvider } from '@willsoto/nestjs-prometheus';

/** Per-GPU gauges, named and labelled as the seed GPU utilisation monitor exported them. */
export const GPU_LABELS = ['gpu_id', 'cluster', 'hostname', 'pod', 'namespace', 'status'] as const;

export const PER_GPU_GAUGES = {
  score: 'gpu_utilization_score',
  core: 'gpu_core_utilization',
  memoryUsed: 'gpu_memory_used_mb',
  power: 'gpu_power_usage_watts',
  memoryCopy: 'gpu_memory_copy_utilization',
  smClock: 'gpu_sm_clock_mhz',
} as const;

export type PerGpuGauge = (typeof PER_GPU_GAUGES)[keyof typeof PER_GPU_GAUGES];

export const FLEET_GAUGES = {
  total: 'gpu_total_count',
  low: 'gpu_low_utilization_count',
  idle: 'gpu_idle_count',
  average: 'gpu_average_score',
  byStatus: 'gpu_status_count',
  namespaceCount: 'gpu_namespace_count',
  namespaceAverage: 'gpu_namespace_average_score',
} as const;

const HELP = {
  gpu_utilization_score: 'GPU utilisation score 0–100 over the analysis window (absent for UNKNOWN)',
  gpu_core_utilization: 'GPU core utilisation % (GPU_UTIL, or GR_ENGINE_ACTIVE × 100 on MIG), window average',
  gpu_memory_used_mb: 'Framebuffer used, MiB, window average',
  gpu_power_usage_watts: 'Board power, W, window average',
  gpu_memory_copy_utilization:
    'Memory copy utilisation % (MEM_COPY_UTIL, or DRAM_ACTIVE × 100 on MIG), window average',
  gpu_sm_clock_mhz: 'SM clock, MHz, window average',
  gpu_total_count: 'GPUs and MIG instances analysed (those listed UNALLOCATED, not scored, are not counted)',
  gpu_low_utilization_count: 'GPUs whose status is idle or low',
  gpu_idle_count: 'GPUs whose status is idle',
  gpu_average_score: 'Average score of the scored GPUs',
  gpu_status_count: 'GPUs by status',
  gpu_namespace_count: 'GPUs held by each namespace',
  gpu_namespace_average_score: 'Average score of the GPUs held by each namespace',
} satisfies Record<string, string>;

/** The per-GPU gauges' help (they are written at scrape time by ScoreMetricsExporter, not made as providers). */
export const PER_GPU_HELP: Readonly<Record<PerGpuGauge, string>> = HELP;

export const scoreMetricProviders = [
  ...[FLEET_GAUGES.total, FLEET_GAUGES.low, FLEET_GAUGES.idle, FLEET_GAUGES.average].map((name) =>
    makeGaugeProvider({ name, help: HELP[name] }),
  ),
  makeGaugeProvider({
    name: FLEET_GAUGES.byStatus,
    help: HELP[FLEET_GAUGES.byStatus],
    labelNames: ['status'],
  }),
  makeGaugeProvider({
    name: FLEET_GAUGES.namespaceCount,
    help: HELP[FLEET_GAUGES.namespaceCount],
    labelNames: ['namespace'],
  }),
  makeGaugeProvider({
    name: FLEET_GAUGES.namespaceAverage,
    help: HELP[FLEET_GAUGES.namespaceAverage],
    labelNames: ['namespace'],
  }),
];
