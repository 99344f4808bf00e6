import { defaultScenario, FleetModel } from '@kcloud/fleet-model';
import { simulatedSourceSet, sourceSetOf } from '@kcloud/metrics-source';
import { startStack } from '../harness/stack';
import { describeGpuContract } from './gpu-samples.contract';

// One scenario, hour-long ticks so values hold still while both adapters are compared with the model.
const scenario = { ...defaultScenario(), tickSeconds: 3600 };

describeGpuContract('simulated adapters', async () => {
  const model = new FleetModel(scenario);
  return { source: simulatedSourceSet(model), model, close: async () => undefined };
});

describeGpuContract('Prometheus adapters via real Prometheus', async () => {
  const [east, west] = scenario.clusters.map((c) => c.name);
  const stack = await startStack(scenario, [
    { name: east, shape: 'plain' },
    { name: west, shape: 'exported', hostnameLabel: 'hostname' },
  ]);
  return {
    source: sourceSetOf((token) => stack.app.get(token)),
    model: stack.model,
    close: () => stack.close(),
  };
});
