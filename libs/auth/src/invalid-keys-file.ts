import type { ApiKeyEntry } from './api-key';

/**
 * Fail-closed revocation for an API_KEYS_FILE edit that is invalid as a whole (the edit is not applied, so the current
 * keys stay): which of the file's current keys the edit nevertheless revokes.
 *
 * Only an entry grants a secret, so a current key survives when some entry of the new text might still grant its
 * hash. The rule, decided per current key K:
 * - the text is not a JSON list (half-written, truncated, another shape): nothing can be told, every key stays;
 * - otherwise K is revoked unless an entry carries K's hash (case-insensitive), or an entry's hash cannot be read
 *   (missing or not a string) while its name is K's or cannot be read either (that entry might be K).
 * So a key the edit removed, or listed under its name with another hash, is revoked; a key whose entry is merely
 * broken elsewhere (a bad role, an unknown field, a bad date) stays as it was, with its old role and scope.
 */
export function keysRevokedByInvalidFile(current: readonly ApiKeyEntry[], text: string): ApiKeyEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  const entries = parsed.map(readable);
  return current.filter(
    (key) =>
      !entries.some((e) =>
        e.sha256 !== undefined ? e.sha256 === key.sha256 : e.name === undefined || e.name === key.name,
      ),
  );
}

function readable(item: unknown): { readonly name?: string; readonly sha256?: string } {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return {};
  const { name, sha256 } = item as Record<string, unknown>;
  return {
    name: typeof name === 'string' ? name : undefined,
    sha256: typeof sha256 === 'string' ? sha256.trim().toLowerCase() : undefined,
  };
}
