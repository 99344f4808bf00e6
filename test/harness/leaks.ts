/**
 * What a scoped key must never see, and a scan for it. Tokens are matched as substrings of every string in a
 * response (JSON values and keys, CSV cells, SSE data), so a name hidden inside a label set or a message counts.
 */
export function foreignTokensIn(
  body: unknown,
  tokens: readonly string[],
  sent: readonly string[] = [],
): string[] {
  let text = typeof body === 'string' ? body : JSON.stringify(body ?? null);
  // A value the caller sent may be echoed back ("GPU 'x' was not found"): that confirms nothing.
  for (const s of sent)
    if (s) text = text.split(JSON.stringify(s).slice(1, -1)).join('«sent»').split(s).join('«sent»');
  return [...new Set(tokens.filter((t) => text.includes(t)))];
}

/** Distinct non-empty strings, longest first (so a pod name is reported rather than its namespace prefix). */
export function distinct(values: readonly (string | undefined | null)[]): string[] {
  return [...new Set(values.filter((v): v is string => !!v))].sort((a, b) => b.length - a.length);
}
