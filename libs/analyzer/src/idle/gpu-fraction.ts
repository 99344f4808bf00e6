/**
 * A device's share of one physical GPU: 1 for a whole GPU, a MIG instance's compute slices over the board's (7 on
 * A100/H100/H200/B200, 4 on A30). Used for GPU-hours and for splitting the board's energy counter.
 */
export function gpuFractionOf(model: string, migProfile: string | undefined): number {
  if (!migProfile) return 1;
  const slices = /^(\d+)g\./.exec(migProfile);
  if (!slices) return 1;
  const perGpu = /\bA30\b/.test(model) ? 4 : 7;
  return Math.min(1, Number(slices[1]) / perGpu);
}
