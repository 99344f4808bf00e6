import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { FleetModel } from '@kcloud/fleet-model';

import { renderDcgm } from './dcgm';
import { renderKubeStateMetrics } from './kube-state-metrics';

/**
 * Golden files (as node_exporter's end-to-end test does): a fixed scenario rendered at a fixed time must match the
 * files in __golden__ byte for byte. After an intended change, regenerate with UPDATE_GOLDEN=1, check the diff against
 * METRICS.md, and commit the new files.
 */
const DIR = join(__dirname, '__golden__');
const AT = Date.UTC(2026, 0, 15, 12, 0, 3);

const model = FleetModel.fromFile(join(DIR, 'scenario.yaml'));

const cases: readonly { readonly file: string; readonly render: () => string }[] = [
  { file: 'dcgm-gpu-node-1.prom', render: () => renderDcgm(model.nodeGpus('golden', 'gpu-node-1', AT)) },
  { file: 'dcgm-gpu-node-2.prom', render: () => renderDcgm(model.nodeGpus('golden', 'gpu-node-2', AT)) },
  {
    file: 'dcgm-cluster-hostname-no-limit.prom',
    render: () => renderDcgm(model.gpus('golden', AT), { hostnameLabel: 'hostname', powerLimit: false }),
  },
  {
    // An operator who uncommented the ECC, retired-page, NVLink-error and clock-event rows of the CSV.
    file: 'dcgm-gpu-node-1-all-health.prom',
    render: () => renderDcgm(model.nodeGpus('golden', 'gpu-node-1', AT), { allHealthCounters: true }),
  },
  {
    file: 'kube-state-metrics.prom',
    render: () => renderKubeStateMetrics(model.nodes('golden'), model.pods('golden')),
  },
];

describe('exposition golden files', () => {
  it.each(cases)('renders $file exactly as recorded', ({ file, render }) => {
    const actual = render();
    const path = join(DIR, file);
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, actual);
    expect(actual).toBe(readFileSync(path, 'utf8'));
  });
});
