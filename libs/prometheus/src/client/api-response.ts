/**
 * Pure decoding of the Prometheus HTTP API's JSON (`/api/v1/query`, `query_range`, `label/<l>/values`) into typed
 * samples. No I/O: the client hands the parsed body here; malformed bodies raise `MalformedResponse`.
 */
export interface InstantSample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
  readonly timestampMs: number;
}

export interface RangePoint {
  readonly timestampMs: number;
  readonly value: number;
}

export interface RangeSeries {
  readonly labels: Readonly<Record<string, string>>;
  readonly points: readonly RangePoint[];
}

export class MalformedResponse extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedResponse';
  }
}

type Json = unknown;

/** Prometheus sends sample values as strings so it can spell NaN and ±Inf; `Number('+Inf')` would be NaN. */
export function parseSampleValue(raw: Json): number {
  if (typeof raw !== 'string')
    throw new MalformedResponse(`sample value is not a string: ${JSON.stringify(raw)}`);
  switch (raw) {
    case 'NaN':
      return NaN;
    case '+Inf':
    case 'Inf':
      return Infinity;
    case '-Inf':
      return -Infinity;
  }
  const value = Number(raw);
  if (raw.trim() === '' || Number.isNaN(value))
    throw new MalformedResponse(`sample value is not a number: ${raw.slice(0, 40)}`);
  return value;
}

/** `data` of an instant query: a vector, or a scalar (one sample without labels). */
export function decodeInstant(data: Json): InstantSample[] {
  const { resultType, result } = asObject(data, 'data');
  switch (resultType) {
    case 'vector':
      return asArray(result, 'result').map((item) => {
        const { metric, value } = asObject(item, 'sample');
        return { labels: decodeLabels(metric), ...decodePair(value) };
      });
    case 'scalar':
      return [{ labels: {}, ...decodePair(result) }];
    default:
      throw new MalformedResponse(
        `instant query returned resultType '${String(resultType)}', expected vector or scalar`,
      );
  }
}

/** `data` of a range query: a matrix. */
export function decodeRange(data: Json): RangeSeries[] {
  const { resultType, result } = asObject(data, 'data');
  if (resultType !== 'matrix')
    throw new MalformedResponse(`range query returned resultType '${String(resultType)}', expected matrix`);
  return asArray(result, 'result').map((item) => {
    const { metric, values } = asObject(item, 'series');
    // Native-histogram-only series have `histograms` and no `values`; they carry no float points for us.
    const points = values === undefined ? [] : asArray(values, 'values').map(decodePair);
    return { labels: decodeLabels(metric), points };
  });
}

export function decodeStrings(data: Json): string[] {
  return asArray(data, 'data').map((v) => {
    if (typeof v !== 'string') throw new MalformedResponse('label value is not a string');
    return v;
  });
}

/** `[<unix seconds float>, "<value>"]` → milliseconds (rounded: float seconds carry sub-ms noise). */
function decodePair(pair: Json): RangePoint {
  const [ts, raw] = asArray(pair, 'sample pair');
  if (typeof ts !== 'number') throw new MalformedResponse('sample timestamp is not a number');
  return { timestampMs: Math.round(ts * 1000), value: parseSampleValue(raw) };
}

function decodeLabels(metric: Json): Record<string, string> {
  if (metric === undefined) return {};
  // Validated in place, not copied: a 10k-GPU answer holds tens of thousands of label sets. JSON.parse defines own
  // properties, so a label literally named `__proto__` cannot touch the prototype.
  const labels = asObject(metric, 'metric');
  for (const k in labels) {
    if (typeof labels[k] !== 'string') throw new MalformedResponse(`label '${k}' is not a string`);
  }
  return labels as Record<string, string>;
}

function asObject(value: Json, what: string): Record<string, Json> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new MalformedResponse(`${what} is not an object`);
  return value as Record<string, Json>;
}

function asArray(value: Json, what: string): readonly Json[] {
  if (!Array.isArray(value)) throw new MalformedResponse(`${what} is not an array`);
  return value;
}
