import {
  fleetPowerChart,
  idleByNamespaceChart,
  pueChart,
  statusDistributionChart,
  topWastersChart,
  type ChartSpec,
} from './chart-specs';
import { renderSvg } from './render-svg';

const T = Date.UTC(2025, 0, 1);
const counts = [
  { status: 'IDLE', count: 12 },
  { status: 'LOW', count: 3 },
  { status: 'NORMAL', count: 7 },
  { status: 'HIGH', count: 4 },
  { status: 'UNKNOWN', count: 0 },
];
const power = [
  { name: 'east', points: [0, 1, 2].map((i): [number, number] => [T + i * 300_000, 4 + i]) },
  { name: 'west', points: [0, 1, 2].map((i): [number, number] => [T + i * 300_000, 2]) },
];

describe('report charts', () => {
  it('draws one bar per status, coloured by status, with the counts as labels', () => {
    const svg = renderSvg(statusDistributionChart(counts));
    expect(svg.startsWith('<svg')).toBe(true);
    for (const c of counts) expect(svg).toContain(`>${c.status}<`);
    expect(svg).toContain('>12<');
    expect(svg).toMatch(/fill="#9e9e9e"/);
  });

  it('draws one line per cluster on a time axis, with a legend naming the clusters', () => {
    const spec = fleetPowerChart(power);
    const svg = renderSvg(spec);
    expect(svg).toContain('>east<');
    expect(svg).toContain('>west<');
    expect((svg.match(/<path[^>]*fill="none"[^>]*stroke="#(1e88e5|e53935)"/g) ?? []).length).toBeGreaterThanOrEqual(2);
    expect(svg).toContain('>kW<');
  });

  it('puts namespaces and wasters on the category axis in the given order', () => {
    const ns = renderSvg(
      idleByNamespaceChart([
        { label: 'east/research', idleHours: 40, idleKilowattHours: 3.2 },
        { label: 'west/(unallocated)', idleHours: 10, idleKilowattHours: 0.8 },
      ]),
    );
    expect(ns.indexOf('east/research')).toBeGreaterThan(0);
    expect(ns).toContain('Idle GPU-hours');
    const top = renderSvg(topWastersChart([{ label: 'node-1 GPU 0', idleKilowattHours: 1.234 }]));
    expect(top).toContain('node-1 GPU 0');
    expect(top).toContain('1.23');
  });

  it('grows a category chart with its rows so labels never overlap', () => {
    const rows = Array.from({ length: 30 }, (_, i) => ({ label: `ns-${i}`, idleHours: i, idleKilowattHours: i }));
    expect(idleByNamespaceChart(rows).height).toBeGreaterThan(idleByNamespaceChart(rows.slice(0, 2)).height);
  });

  it('renders every chart as a self-contained SVG of the declared size with no script, image or external reference', () => {
    const specs: ChartSpec[] = [
      statusDistributionChart(counts),
      fleetPowerChart(power),
      idleByNamespaceChart([{ label: 'a', idleHours: 1, idleKilowattHours: 1 }]),
      topWastersChart([{ label: 'g', idleKilowattHours: 1 }]),
      pueChart([{ name: 'east', points: [[T, 1.4], [T + 60_000, 1.5]] }]),
    ];
    for (const spec of specs) {
      const svg = renderSvg(spec);
      expect(svg).toMatch(new RegExp(`<svg[^>]*width="${spec.width}"[^>]*height="${spec.height}"`));
      expect(svg).not.toMatch(/<script|<image|href="http/);
      expect(svg).toContain(spec.title.replace(/&/g, '&amp;'));
    }
  });

  it('renders the same data to the same SVG (no clock or random ids)', () => {
    expect(renderSvg(fleetPowerChart(power))).toBe(renderSvg(fleetPowerChart(power)));
  });
});
