import { defaultScenario, FleetModel } from '@kcloud/fleet-model';
import { simulatedSourceSet, sourceSetOf } from '@kcloud/metrics-source';
import { bmcNodeMap } from '../harness/power-jobs';
import { startStack } from '../harness/stack';
import { describePowerContract } from './power-samples.contract';

// One scenario, hour-long ticks so power holds still while both adapters are compared with the model.
const scenario = { ...defaultScenario(), tickSeconds: 3600 };

describePowerContract('simulated adapters', async () => {
  const model = new FleetModel(scenario);
  return { source: simulatedSourceSet(model), model, close: async () => undefined };
});

describePowerContract('Prometheus adapters via real Prometheus', async () => {
  const [east, west] = scenario.clusters.map((c) => c.name);
  const stack = await startStack(
    scenario,
    [
      { name: east, shape: 'plain', power: { kepler: 'v0.10', ipmi: 'bmc' } },
      { name: west, shape: 'exported', power: { kepler: 'v0.7', ipmi: 'local' } },
    ],
    {
      CACHE_TTL_REALTIME_SECONDS: '0',
      ANALYZER_ENABLED: 'false',
      POWER_RATE_WINDOW_SECONDS: '10',
      IPMI_BMC_NODE_MAP: JSON.stringify(bmcNodeMap(new FleetModel(scenario))),
      PUE_FACILITY_QUERY: 'sum(facility_power_watts)',
    },
  );
  return {
    source: sourceSetOf((token) => stack.app.get(token)),
    model: stack.model,
    close: () => stack.close(),
  };
});
