import { defaultScenario } from '@kcloud/fleet-model';
import { prometheusSubject, simulatedSubject } from './adapter-subjects';
import { describeGpuContract } from './gpu-samples.contract';
import { eastWest } from '../harness/stacks';

// One scenario, hour-long ticks so values hold still while both adapters are compared with the model.
const scenario = { ...defaultScenario(), tickSeconds: 3600 };

describeGpuContract('simulated adapters', () => simulatedSubject(scenario));

describeGpuContract('Prometheus adapters via real Prometheus', () => {
  const [east, west] = eastWest(scenario);
  return prometheusSubject(scenario, [
    { name: east, shape: 'plain' },
    { name: west, shape: 'exported', hostnameLabel: 'hostname' },
  ]);
});
