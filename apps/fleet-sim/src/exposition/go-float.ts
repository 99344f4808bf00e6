/**
 * Go's `strconv.FormatFloat(v, 'g', -1, 64)`, which client_golang uses for every sample value (Kepler,
 * ipmi_exporter): the shortest digits that round-trip, in `%e` form when the decimal exponent is below -4 or at
 * least 6 (`1.234567e+06`, `5321.77`, `1e-05`), exponents with at least two digits.
 */
export function formatGoFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  // JS toExponential() without an argument also yields the shortest round-tripping digits.
  const [mantissa = '', expText] = value.toExponential().split('e'); // always `<mantissa>e<±exp>`
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) {
    const sign = exp < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  const point = exp + 1;
  let text: string;
  if (point <= 0) text = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) text = digits + '0'.repeat(point - digits.length);
  else text = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return negative ? `-${text}` : text;
}

/** A label set in client_golang's order: sorted by label name (const labels included). */
export function sortedLabelSet(
  labels: Readonly<Record<string, string>>,
  escape: (v: string) => string,
): string {
  const sorted = Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return sorted.length ? `{${sorted.map(([k, v]) => `${k}="${escape(v)}"`).join(',')}}` : '';
}
