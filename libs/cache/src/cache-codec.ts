import type { Deserialize, DeserializedData, Serialize } from 'keyv';

/**
 * JSON for values that cross a process boundary (Redis). Plain JSON would turn every `Date` (e.g. a sample's
 * `observedAt`) into a string and hand callers a different type on a cache hit than on a miss, so Dates are written
 * as `{"$date": "<ISO>"}` and revived on read. A tag cannot collide with an ISO-looking label value, which is why
 * this is preferred over reviving every date-shaped string.
 *
 * What still does not survive: `undefined` properties (dropped), NaN/±Infinity (become null), Map/Set/class
 * instances (become plain objects). Cached values should be plain data plus Dates.
 */
const DATE_TAG = '$date';

export function encode(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key: string, converted: unknown) {
    // `converted` is already Date#toJSON's string; the holder still has the Date itself.
    const raw = this[key];
    if (raw instanceof Date) return { [DATE_TAG]: Number.isNaN(raw.getTime()) ? null : raw.toISOString() };
    return converted;
  });
}

export function decode<T = unknown>(text: string): T {
  return JSON.parse(text, (_key, value: unknown) =>
    isDateTag(value) ? new Date(value[DATE_TAG] ?? NaN) : value,
  ) as T;
}

function isDateTag(value: unknown): value is { [DATE_TAG]: string | null } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  const tagged = (value as Record<string, unknown>)[DATE_TAG];
  return keys.length === 1 && keys[0] === DATE_TAG && (typeof tagged === 'string' || tagged === null);
}

/** Keyv's (de)serializer pair built on the tagged encoding. */
export const taggedSerialize: Serialize = (data) => encode(data);
export const taggedDeserialize: Deserialize = <Value>(text: string) => decode<DeserializedData<Value>>(text);
