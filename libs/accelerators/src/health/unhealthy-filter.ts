import { GpuHealthStatus } from './gpu-health';

/** What `gpuHealth` lists by default: GPUs with something to act on (UNKNOWN = no health family exported, not a fault). */
export const UNHEALTHY_DEFAULT: readonly GpuHealthStatus[] = [
  GpuHealthStatus.CRITICAL,
  GpuHealthStatus.WARNING,
];

/**
 * The health statuses `gpuHealth` reads: the caller's, minus HEALTHY (the query lists GPUs that are not), or the
 * default. Undefined when the caller asked for HEALTHY only: nothing matches (an empty list would mean "every GPU").
 */
export function unhealthyStatuses(
  wanted: readonly GpuHealthStatus[] | undefined,
): GpuHealthStatus[] | undefined {
  if (!wanted?.length) return [...UNHEALTHY_DEFAULT];
  const kept = wanted.filter((s) => s !== GpuHealthStatus.HEALTHY);
  return kept.length ? kept : undefined;
}
