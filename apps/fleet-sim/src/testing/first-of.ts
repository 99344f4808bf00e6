/** The first of `items`, or an error naming what the scenario lacks (specs pick their devices by position). */
export function firstOf<T>(items: readonly T[], what: string): T {
  const [item] = items;
  if (item === undefined) throw new Error(`the scenario has no ${what}`);
  return item;
}
