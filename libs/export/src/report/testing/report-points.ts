import { DEFAULT_THRESHOLDS, DEFAULT_WEIGHTS, type ScoringConfig } from '@kcloud/analyzer';
import type { GpuSeriesPoint } from '@kcloud/metrics-source';

/** Spec fixtures of the report: the analyzer's default scoring and GPU series points that are idle unless set busy. */
export const SCORING: ScoringConfig = {
  weights: DEFAULT_WEIGHTS,
  thresholds: DEFAULT_THRESHOLDS,
  idleActivityPercent: 1,
  stalenessSeconds: 120,
  defaultPowerLimitWatts: 700,
};

export const T = Date.UTC(2025, 0, 1);

/** A point `s` seconds after T on east/n1, an H100. */
export const point = (
  s: number,
  p: Partial<GpuSeriesPoint> & Pick<GpuSeriesPoint, 'uuid'>,
): GpuSeriesPoint => ({
  timestamp: new Date(T + s * 1000),
  observedAt: new Date(T + s * 1000),
  cluster: 'east',
  node: 'n1',
  index: 0,
  model: 'NVIDIA H100 80GB HBM3',
  // An empty framebuffer, no copies, a 700 W limit: only what a test sets makes a GPU busy.
  memoryUsedMiB: 0,
  memoryFreeMiB: 81_559,
  powerLimitWatts: 700,
  ...(p.migInstanceId ? { dramActiveRatio: 0 } : { memoryCopyUtilizationPercent: 0 }),
  ...p,
});
