import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { FleetModel, fleetPower } from '@kcloud/fleet-model';

import { renderPowerTarget } from '../power-targets';

/**
 * Golden files for the power-side exporters (Kepler ≥0.10 and ≤0.7, ipmi_exporter, the facility meter): the golden
 * scenario at a fixed time, with energy counted from a fixed origin, must render byte for byte as recorded.
 * Regenerate after an intended change with UPDATE_GOLDEN=1 and check the diff against METRICS.md §2–3.
 */
const DIR = join(__dirname, '__golden__');
const AT = Date.UTC(2026, 0, 15, 12, 0, 3);

const model = FleetModel.fromFile(join(DIR, 'scenario.yaml'));
fleetPower(model, { originMs: AT - 60_000 });

const body = (exporter: 'kepler' | 'kepler-v0.7' | 'ipmi' | 'facility', node?: string): string => {
  const rendered = renderPowerTarget(model, 'golden', exporter, node, AT);
  if (!('body' in rendered)) throw new Error(rendered.notFound);
  return rendered.body;
};

const cases: readonly { readonly file: string; readonly render: () => string }[] = [
  { file: 'kepler-gpu-node-1.prom', render: () => body('kepler', 'gpu-node-1') },
  { file: 'kepler-v0.7-gpu-node-2.prom', render: () => body('kepler-v0.7', 'gpu-node-2') },
  { file: 'ipmi-gpu-node-1.prom', render: () => body('ipmi', 'gpu-node-1') },
  { file: 'facility.prom', render: () => body('facility') },
];

describe('power exposition golden files', () => {
  it.each(cases)('renders $file exactly as recorded', ({ file, render }) => {
    const actual = render();
    const path = join(DIR, file);
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, actual);
    expect(actual).toBe(readFileSync(path, 'utf8'));
  });

  it('serves the whole cluster’s Kepler body as the concatenation of its nodes’ series', () => {
    const series = (text: string) =>
      text.split('\n').filter((l) => l && !l.startsWith('#') && !l.startsWith('kepler_build_info'));
    const nodes = [...series(body('kepler', 'gpu-node-1')), ...series(body('kepler', 'gpu-node-2'))].sort();
    expect(series(body('kepler')).sort()).toEqual(nodes);
  });
});
