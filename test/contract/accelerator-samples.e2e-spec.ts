import type { Scenario } from '@kcloud/fleet-model';
import { prometheusSubject, simulatedSubject } from './adapter-subjects';
import { describeAcceleratorContract } from './accelerator-samples.contract';
import { inferenceMigBoard } from '../harness/scenario-parts';

// all-smi in its current label generation on one cluster, dcgm with MIG and NPU-only nodes on the other; hour-long
// ticks so values hold still while both adapters are compared with the model.
const scenario: Scenario = {
  seed: 23,
  tickSeconds: 3600,
  clusters: [
    {
      name: 'ct-smi',
      gpuExporter: 'all-smi',
      nodes: [
        {
          name: 'smi-gpu-01',
          gpuModel: 'NVIDIA H100 80GB HBM3',
          gpus: [
            { pattern: 'training', namespace: 'ml-training', pod: 'gpt-0', container: 'trainer' },
            { pattern: 'dataloader-stall', namespace: 'ml-training', pod: 'etl-x2c4v', container: 'trainer' },
            { pattern: 'unallocated' },
          ],
        },
      ],
      npuNodes: [
        {
          name: 'smi-npu-01',
          npuModel: 'RBLN-CA12',
          npus: [
            {
              pattern: 'inference',
              namespace: 'inference',
              pod: 'embed-5b8d7c9f6d-r7tqw',
              container: 'server',
            },
            { pattern: 'unallocated' },
          ],
        },
      ],
    },
    {
      name: 'ct-dcgm',
      nodes: [
        {
          name: 'dcgm-gpu-01',
          gpuModel: 'NVIDIA A100-SXM4-80GB',
          gpus: [
            inferenceMigBoard(1, 7),
            { pattern: 'notebook', namespace: 'research', pod: 'jupyter-a-0', container: 'notebook' },
          ],
        },
      ],
      npuNodes: [
        {
          name: 'dcgm-gpu-01',
          npuModel: 'RNGD',
          npus: [
            { pattern: 'training', namespace: 'ml-training', pod: 'rngd-train-0', container: 'trainer' },
            { pattern: 'unallocated' },
          ],
        },
        {
          name: 'dcgm-npu-01',
          npuModel: 'Warboy',
          npus: [
            {
              pattern: 'inference',
              namespace: 'inference',
              pod: 'vision-6c9f7d8b5c-k2mwp',
              container: 'server',
            },
          ],
        },
      ],
    },
  ],
};

describeAcceleratorContract('simulated adapters', () => simulatedSubject(scenario));

describeAcceleratorContract('Prometheus adapters via real Prometheus', () =>
  prometheusSubject(scenario, [
    { name: 'ct-smi', shape: 'plain' },
    { name: 'ct-dcgm', shape: 'exported', hostnameLabel: 'hostname' },
  ]),
);
