import { defaultScenario, FleetModel } from '@kcloud/fleet-model';
import { bmcNodeMap } from '../harness/power-jobs';
import { prometheusSubject, simulatedSubject } from './adapter-subjects';
import { describePowerContract } from './power-samples.contract';
import { eastWest } from '../harness/stacks';

// One scenario, hour-long ticks so power holds still while both adapters are compared with the model.
const scenario = { ...defaultScenario(), tickSeconds: 3600 };

describePowerContract('simulated adapters', () => simulatedSubject(scenario));

describePowerContract('Prometheus adapters via real Prometheus', () => {
  const [east, west] = eastWest(scenario);
  return prometheusSubject(
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
});
