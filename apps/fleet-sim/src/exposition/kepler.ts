import { formatGoFloat, sortedLabelSet } from './go-float';
import type { Family, KeplerNodeView } from './kepler-family';
import { V07 } from './kepler-v07';
import { V010 } from './kepler-v010';
import { escapeLabelValue, familyHeader } from './text-format';

export type { KeplerNodeView } from './kepler-family';

/**
 * Kepler's exposition (METRICS.md §2) for one node or several. `v0.10` is the rewritten exporter (≥ 0.10, GPU
 * families of ≥ 0.11.4, the experimental Redfish `kepler_platform_watts`); `v0.7` the old architecture (also 0.8/0.9):
 * joules counters only, `mode="dynamic"|"idle"`, no pod level, node metrics with an `instance` label.
 * Labels are sorted, values printed as client_golang does.
 */
export type KeplerVersion = 'v0.10' | 'v0.7';

// client_golang's registry gathers families sorted by name.
const byName = (a: Family, b: Family): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
const V010_SORTED = [...V010].sort(byName);
const V07_SORTED = [...V07].sort(byName);

export function renderKepler(nodes: readonly KeplerNodeView[], version: KeplerVersion = 'v0.10'): string {
  const lines: string[] = [];
  for (const family of version === 'v0.7' ? V07_SORTED : V010_SORTED) {
    const rows = family.once
      ? nodes.slice(0, 1).flatMap((n) => family.rows(n))
      : nodes.flatMap((n) => family.rows(n));
    if (rows.length === 0) continue;
    lines.push(familyHeader(family.name, family.help, family.type));
    for (const [labels, value] of rows)
      lines.push(`${family.name}${sortedLabelSet(labels, escapeLabelValue)} ${formatGoFloat(value)}`);
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}
