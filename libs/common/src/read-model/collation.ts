/**
 * Collation keys: the distinct values of a field ranked once with the comparator the order is defined by
 * (`localeCompare`, numeric or not), so sorting compares integers instead of running ICU per comparison. Values the
 * comparator calls equal share a rank, so the order stays exactly the comparator's.
 */
export function collationRanks(
  values: Iterable<string>,
  compare: (a: string, b: string) => number = (a, b) => a.localeCompare(b),
): ReadonlyMap<string, number> {
  const distinct = [...new Set(values)].sort(compare);
  const ranks = new Map<string, number>();
  let rank = 0;
  distinct.forEach((value, i) => {
    if (i > 0 && compare(distinct[i - 1]!, value) !== 0) rank++;
    ranks.set(value, rank);
  });
  return ranks;
}

/** `localeCompare` with numeric collation (MIG instance ids: "2" before "10"). */
export const numericCompare = (a: string, b: string): number =>
  a.localeCompare(b, undefined, { numeric: true });
