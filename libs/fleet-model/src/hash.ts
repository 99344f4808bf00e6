/**
 * Deterministic 32-bit hashing. Every simulated value is a pure function of (seed, device, bucket, channel), so the
 * model needs no stored random state and any time can be evaluated directly (no iterating over past buckets).
 */

/** murmur3's finaliser: spreads every input bit over the output. */
export function fmix32(input: number): number {
  let h = input | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a over UTF-16 code units, finalised; stable across platforms. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

/** Combines a hash with an integer (which may exceed 32 bits, e.g. a time bucket). */
export function hashMix(h: number, value: number): number {
  const lo = value >>> 0;
  const hi = Math.floor(value / 0x100000000) >>> 0;
  return fmix32(fmix32(h ^ lo) ^ Math.imul(hi, 0x9e3779b1) ^ 0x5bd1e995);
}

/** Uniform in [0, 1) from a hash. */
export function toUnit(h: number): number {
  return h / 0x100000000;
}

/** Uniform in [0, 1) for one channel of one device in one time bucket. */
export function noise(deviceKey: number, bucket: number, channel: number): number {
  return toUnit(hashMix(hashMix(deviceKey, channel), bucket));
}

/** 32 hex digits derived from a text key (four independent 32-bit hashes). */
export function hex128(key: string): string {
  let out = '';
  for (let i = 0; i < 4; i++) out += hashString(`${key}#${i}`).toString(16).padStart(8, '0');
  return out;
}
