import type { TimeSeries } from './charts';

/**
 * Items → one chart line per name (pure): `pick` gives [name, epoch ms, value] or undefined to leave an item out.
 * Lines are ordered by name, points by time.
 */
export function linesByName<T>(
  items: readonly T[],
  pick: (item: T) => readonly [string, number, number] | undefined,
): TimeSeries[] {
  const byName = new Map<string, [number, number][]>();
  for (const item of items) {
    const picked = pick(item);
    if (!picked) continue;
    const [name, at, value] = picked;
    let points = byName.get(name);
    if (!points) byName.set(name, (points = []));
    points.push([at, value]);
  }
  return [...byName]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, points]) => ({ name, points: points.sort(([a], [b]) => a - b) }));
}
