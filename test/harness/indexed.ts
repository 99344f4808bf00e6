/**
 * Reads by index that fail the test with a message naming what was missing, for suites under
 * noUncheckedIndexedAccess: a row the API did not return is a failure to explain, never an `undefined` that a later
 * `.toBe` reports as "cannot read properties of undefined".
 */

/** The item at `index` (negative counts from the end, as Array.prototype.at does). */
export function at<T>(items: readonly T[], index: number, what = 'item'): T {
  const item = items.at(index);
  if (item === undefined) throw new Error(`expected ${what} at index ${index}, got ${items.length} items`);
  return item;
}

/** The one item of a list that must hold exactly one. */
export function only<T>(items: readonly T[], what = 'item'): T {
  if (items.length !== 1) throw new Error(`expected exactly one ${what}, got ${items.length}`);
  return items[0] as T;
}

/** A value looked up by key (a record entry, a regex group, a header) that the test needs to be there. */
export function defined<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`expected ${what}, got undefined`);
  return value;
}

type Tuple<T, N extends number, R extends T[] = []> = R['length'] extends N ? R : Tuple<T, N, [...R, T]>;

/** The whole list, typed so its first `n` items read without checks; fails when it holds fewer. */
export function atLeast<T, N extends number>(
  items: readonly T[],
  n: N,
  what = 'item',
): [...Tuple<T, N>, ...T[]] {
  if (items.length < n) throw new Error(`expected at least ${n} of ${what}, got ${items.length}`);
  return [...items] as [...Tuple<T, N>, ...T[]];
}
