import { join } from 'node:path';

import { FleetModel, fleetPower } from '@kcloud/fleet-model';

import { renderPowerTarget } from '../power-targets';
import { GOLDEN_AT, GOLDEN_DIR, type GoldenCase, itRendersAsRecorded } from '../testing/golden-files';

/**
 * Golden files for the power-side exporters (Kepler ≥0.10 and ≤0.7, ipmi_exporter, the facility meter): the golden
 * scenario at a fixed time, with energy counted from a fixed origin, must render byte for byte as recorded.
 * Regenerate after an intended change with UPDATE_GOLDEN=1 and check the diff against METRICS.md §2–3.
 */

const model = FleetModel.fromFile(join(GOLDEN_DIR, 'scenario.yaml'));
fleetPower(model, { originMs: GOLDEN_AT - 60_000 });

const body = (exporter: 'kepler' | 'kepler-v0.7' | 'ipmi' | 'facility', node?: string): string => {
  const rendered = renderPowerTarget(model, 'golden', exporter, node, GOLDEN_AT);
  if (!('body' in rendered)) throw new Error(rendered.notFound);
  return rendered.body;
};

const cases: readonly GoldenCase[] = [
  { file: 'kepler-gpu-node-1.prom', render: () => body('kepler', 'gpu-node-1') },
  { file: 'kepler-v0.7-gpu-node-2.prom', render: () => body('kepler-v0.7', 'gpu-node-2') },
  { file: 'ipmi-gpu-node-1.prom', render: () => body('ipmi', 'gpu-node-1') },
  { file: 'facility.prom', render: () => body('facility') },
];

describe('power exposition golden files', () => {
  itRendersAsRecorded(cases);

  it('serves the whole cluster’s Kepler body as the concatenation of its nodes’ series', () => {
    const series = (text: string) =>
      text.split('\n').filter((l) => l && !l.startsWith('#') && !l.startsWith('kepler_build_info'));
    const nodes = [...series(body('kepler', 'gpu-node-1')), ...series(body('kepler', 'gpu-node-2'))].sort();
    expect(series(body('kepler')).sort()).toEqual(nodes);
  });
});
