// A line chart as inline SVG: a pure function computes the path, another builds the elements (no chart library, no
// innerHTML, so no markup from the API is ever parsed).

export interface Point {
  readonly t: number;
  readonly v: number;
}

export interface LinePlot {
  readonly d: string;
  readonly min: number;
  readonly max: number;
}

export interface Domain {
  readonly min: number;
  readonly max: number;
}

/**
 * The SVG path of `points` scaled into width × height (y grows downwards); empty for fewer than two points. The value
 * axis spans the data, or `domain` when given (0–100 for percentages, so a flat 3 % does not fill the chart).
 */
export function linePath(points: readonly Point[], width: number, height: number, domain?: Domain): LinePlot {
  const first = points[0];
  const last = points.at(-1);
  if (!first || !last || points.length < 2) return { d: '', min: first?.v ?? 0, max: first?.v ?? 0 };
  let min = domain?.min ?? Infinity;
  let max = domain?.max ?? -Infinity;
  if (!domain)
    for (const p of points) {
      min = Math.min(min, p.v);
      max = Math.max(max, p.v);
    }
  const t0 = first.t;
  const span = last.t - t0 || 1;
  const range = max - min || 1;
  const d = points
    .map((p, i) => {
      const x = ((p.t - t0) / span) * width;
      const y = height - ((p.v - min) / range) * height;
      return `${i ? 'L' : 'M'}${x.toFixed(1)},${y.toFixed(1)}`;
    })
    .join('');
  return { d, min, max };
}

const SVG = 'http://www.w3.org/2000/svg';

function svgEl(name: string, attrs: Record<string, string>): SVGElement {
  const el = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  return el;
}

/** The chart, labelled for screen readers with what it shows and its range. */
export function lineChart(
  points: readonly Point[],
  label: string,
  unit: string,
  domain?: Domain,
): SVGElement {
  const W = 300;
  const H = 60;
  const plot = linePath(points, W, H, domain);
  const svg = svgEl('svg', { viewBox: `-40 -8 ${W + 48} ${H + 24}`, role: 'img', class: 'line-chart' });
  const summary = points.length
    ? `${label}: ${points.length} points, from ${plot.min.toFixed(0)} to ${plot.max.toFixed(0)} ${unit}`
    : `${label}: no data`;
  svg.setAttribute('aria-label', summary);
  const title = svgEl('title', {});
  title.textContent = summary;
  svg.append(title, svgEl('line', { x1: '0', y1: String(H), x2: String(W), y2: String(H), class: 'axis' }));
  const text = (x: number, y: number, s: string, anchor = 'end'): SVGElement => {
    const t = svgEl('text', { x: String(x), y: String(y), 'text-anchor': anchor });
    t.textContent = s;
    return t;
  };
  if (plot.d) {
    svg.append(
      svgEl('path', { d: plot.d, class: 'line' }),
      text(-4, 4, `${plot.max.toFixed(0)}`),
      text(-4, H, `${plot.min.toFixed(0)}`),
      text(0, H + 14, '−60 min', 'start'),
      text(W, H + 14, 'now'),
    );
  } else svg.append(text(W / 2, H / 2, 'no data', 'middle'));
  return svg;
}
