/**
 * JSON with Dates kept as Dates, for the Redis store (the memory store keeps object references and needs none).
 * JSON.stringify calls Date#toJSON before a replacer sees the value, so the replacer looks at the holder instead.
 */
const DATE_TAG = '$date';

export function encode(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key: string, v: unknown) {
    const raw = this[key];
    return raw instanceof Date ? { [DATE_TAG]: raw.toISOString() } : v;
  });
}

export function decode<T>(text: string): T {
  return JSON.parse(text, (_key, v: unknown) =>
    v &&
    typeof v === 'object' &&
    !Array.isArray(v) &&
    Object.keys(v).length === 1 &&
    typeof (v as Record<string, unknown>)[DATE_TAG] === 'string'
      ? new Date((v as Record<string, string>)[DATE_TAG])
      : v,
  ) as T;
}
