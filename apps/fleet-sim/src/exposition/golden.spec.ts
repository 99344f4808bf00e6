import { join } from 'node:path';

import { FleetModel } from '@kcloud/fleet-model';

import { renderDcgm } from './dcgm';
import { renderKubeStateMetrics } from './kube-state-metrics';
import { GOLDEN_AT, GOLDEN_DIR, type GoldenCase, itRendersAsRecorded } from '../testing/golden-files';

/**
 * Golden files (as node_exporter's end-to-end test does): a fixed scenario rendered at a fixed time must match the
 * files in __golden__ byte for byte. After an intended change, regenerate with UPDATE_GOLDEN=1, check the diff against
 * METRICS.md, and commit the new files.
 */
const model = FleetModel.fromFile(join(GOLDEN_DIR, 'scenario.yaml'));

const cases: readonly GoldenCase[] = [
  {
    file: 'dcgm-gpu-node-1.prom',
    render: () => renderDcgm(model.nodeGpus('golden', 'gpu-node-1', GOLDEN_AT)),
  },
  {
    file: 'dcgm-gpu-node-2.prom',
    render: () => renderDcgm(model.nodeGpus('golden', 'gpu-node-2', GOLDEN_AT)),
  },
  {
    file: 'dcgm-cluster-hostname-no-limit.prom',
    render: () =>
      renderDcgm(model.gpus('golden', GOLDEN_AT), { hostnameLabel: 'hostname', powerLimit: false }),
  },
  {
    // An operator who uncommented the ECC, retired-page, NVLink-error and clock-event rows of the CSV.
    file: 'dcgm-gpu-node-1-all-health.prom',
    render: () => renderDcgm(model.nodeGpus('golden', 'gpu-node-1', GOLDEN_AT), { allHealthCounters: true }),
  },
  {
    file: 'kube-state-metrics.prom',
    render: () => renderKubeStateMetrics(model.nodes('golden'), model.pods('golden')),
  },
];

describe('exposition golden files', () => {
  itRendersAsRecorded(cases);
});
