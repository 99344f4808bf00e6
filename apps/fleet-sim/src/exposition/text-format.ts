/**
 * Pieces of the Prometheus text exposition format (version 0.0.4) shared by the simulated exporters.
 */
export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export type MetricType = 'gauge' | 'counter';

/** Label values escape backslash, double quote and line feed; nothing else. */
export function escapeLabelValue(value: string): string {
  return /[\\"\n]/.test(value)
    ? value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
    : value;
}

/** HELP text escapes backslash and line feed. */
export function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

export function familyHeader(name: string, help: string, type: MetricType): string {
  return `# HELP ${name} ${escapeHelp(help)}\n# TYPE ${name} ${type}`;
}

/** Go's `%f`: six decimals, as dcgm-exporter prints double fields (`67.351000`). */
export function formatDouble(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  return value.toFixed(6);
}

/** Go's `%d` for int64 fields. */
export function formatInt(value: number): string {
  return String(Math.trunc(value));
}

/** `{k="v",...}` in the given order (exporters fix their own label order; Prometheus does not care, goldens do). */
export function labelSet(pairs: readonly (readonly [string, string])[]): string {
  let out = '{';
  let separator = '';
  for (const [name, value] of pairs) {
    out += `${separator}${name}="${escapeLabelValue(value)}"`;
    separator = ',';
  }
  return `${out}}`;
}
