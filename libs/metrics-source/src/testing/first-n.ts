type Tuple<T, N extends number, R extends T[] = []> = R['length'] extends N ? R : Tuple<T, N, [...R, T]>;

/**
 * The first `n` items as a tuple, failing the spec when there are fewer: specs name a join's rows by position
 * (`const [a, b] = firstN(joinGpuSamples(...), 2)`) and read them without a `?.` that would hide a missing row.
 */
export function firstN<T, N extends number>(items: readonly T[], n: N): Tuple<T, N> {
  if (items.length < n) throw new Error(`expected at least ${n} items, got ${items.length}`);
  return items.slice(0, n) as Tuple<T, N>;
}
