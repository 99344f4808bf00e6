import * as echarts from 'echarts';
import type { ChartSpec } from './chart-specs';

/**
 * ECharts' server-side SVG renderer: no DOM, no canvas, no native binary. Each call owns its chart instance and
 * disposes it, so concurrent reports share nothing.
 */
export function renderSvg(spec: ChartSpec): string {
  const chart = echarts.init(null, undefined, { renderer: 'svg', ssr: true, width: spec.width, height: spec.height });
  try {
    chart.setOption(spec.option);
    return staticSvg(chart.renderToSVGString());
  } finally {
    chart.dispose();
  }
}

/**
 * zrender numbers its ids and hover-style classes from process-wide counters; a document has no hover. Dropping the
 * hover styles and numbering ids per chart makes one chart's SVG depend on its data only (and stay small).
 */
function staticSvg(svg: string): string {
  return svg
    .replace(/<style\b[^>]*>[\s\S]*?<\/style>/g, '')
    .replace(/ class="zr\d+-cls-\d+"/g, '')
    .replace(/\bzr\d+-/g, 'zr-');
}
