import type { GpuSample, GpuSeriesPoint, WithInvalidReadings } from '@kcloud/metrics-source';
import { type Cell, col, type Column, type Row } from '../table';

const opt = <T>(v: T | undefined): T | null => (v === undefined ? null : v);
const percent = (ratio: number | undefined): number | null => (ratio === undefined ? null : ratio * 100);

/**
 * Why cells of the row are empty although the exporter sent a value: `temperatureCelsius=DCGM_BLANK;powerWatts=…`
 * (sample field names, reasons as in GraphQL's `dataQuality.nullFields`); empty when every value was accepted.
 */
export function invalidReadingsCell(s: WithInvalidReadings): string | null {
  return s.invalidReadings?.length ? s.invalidReadings.map((r) => `${r.field}=${r.reason}`).join(';') : null;
}

/** GPU columns shared by the snapshot (`gpus`) and the series (`metrics`); units in every numeric name. */
const GPU_COLUMNS: readonly Column[] = [
  col('cluster', 'string'),
  col('node', 'string'),
  col('gpu_uuid', 'string'),
  col('gpu_index', 'int'),
  col('mig_profile', 'string'),
  col('mig_instance_id', 'string'),
  col('model', 'string'),
  col('namespace', 'string'),
  col('pod', 'string'),
  col('container', 'string'),
  col('utilization_percent', 'float'),
  col('memory_copy_utilization_percent', 'float'),
  col('memory_used_mib', 'float'),
  col('memory_free_mib', 'float'),
  col('memory_reserved_mib', 'float'),
  col('power_watts', 'float'),
  col('power_limit_watts', 'float'),
  col('temperature_celsius', 'float'),
  col('sm_clock_mhz', 'float'),
  col('energy_joules', 'float'),
  col('graphics_engine_active_percent', 'float'),
  col('dram_active_percent', 'float'),
  col('invalid_readings', 'string'),
];

function gpuCells(s: GpuSample): Cell[] {
  return [
    s.cluster,
    s.node,
    s.uuid,
    s.index,
    opt(s.migProfile),
    opt(s.migInstanceId),
    s.model,
    opt(s.namespace),
    opt(s.pod),
    opt(s.container),
    opt(s.utilizationPercent),
    opt(s.memoryCopyUtilizationPercent),
    opt(s.memoryUsedMiB),
    opt(s.memoryFreeMiB),
    opt(s.memoryReservedMiB),
    opt(s.powerWatts),
    opt(s.powerLimitWatts),
    opt(s.temperatureCelsius),
    opt(s.smClockMHz),
    opt(s.energyJoules),
    percent(s.grEngineActiveRatio),
    percent(s.dramActiveRatio),
    invalidReadingsCell(s),
  ];
}

/** `gpus`: the current values, with when they were observed. */
export const GPU_SNAPSHOT_COLUMNS: readonly Column[] = [...GPU_COLUMNS, col('observed_at', 'timestamp')];
export const gpuSnapshotRow = (s: GpuSample): Row => [...gpuCells(s), s.observedAt];

/** `metrics`: one row per GPU (or MIG instance) and step timestamp. */
export const GPU_SERIES_COLUMNS: readonly Column[] = [col('timestamp', 'timestamp'), ...GPU_COLUMNS];
export const gpuSeriesRow = (p: GpuSeriesPoint): Row => [p.timestamp, ...gpuCells(p)];
