import { REDACTED, redactSecrets } from '@kcloud/common';

/** Argument and field names whose value is a credential (a key, a token, a password, a webhook secret). */
const SECRET_NAME =
  /pass(word)?|secret|token|api[-_]?key|authorization|credential|cookie|signature|^auth$|bearer/i;
const MAX_STRING = 512;
const MAX_ITEMS = 50;
const MAX_DEPTH = 6;

/**
 * Mutation arguments as they may appear in an audit line: credential-named fields replaced, every string passed
 * through redactSecrets (URL userinfo, `Bearer …`, credential query parameters), long strings and lists cut.
 */
export function redactArgs(value: unknown, depth = 0): unknown {
  if (typeof value === 'string')
    return redactSecrets(value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value);
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return value.toISOString();
  if (depth >= MAX_DEPTH) return '…';
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((v) => redactArgs(v, depth + 1));
    return value.length > MAX_ITEMS ? [...items, `… ${value.length - MAX_ITEMS} more`] : items;
  }
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      SECRET_NAME.test(k) && v != null ? REDACTED : redactArgs(v, depth + 1),
    ]),
  );
}
