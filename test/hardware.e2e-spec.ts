import { defaultScenario, FleetModel, fleetPower } from '@kcloud/fleet-model';
import { gql } from './harness/graphql-client';
import { pollUntil } from './harness/poll';
import { bmcNodeMap } from './harness/power-jobs';
import { useStack } from './harness/use-stack';
import { eastWest } from './harness/stacks';
import { at, defined } from './harness/indexed';

interface Sensor {
  cluster: string;
  node: string;
  bmc: string;
  id: string;
  name: string;
  type: string;
  value: number;
  unit: string;
  state: string;
}

const SENSORS = `query($f: IpmiSensorFilterInput) { ipmiSensors(filter: $f) { cluster node bmc id name type value unit state } }`;
const UNITS: Record<string, string> = {
  POWER: 'watts',
  TEMPERATURE: 'celsius',
  FAN: 'rpm',
  VOLTAGE: 'volts',
  CURRENT: 'amperes',
};
const STATES = ['NOMINAL', 'WARNING', 'CRITICAL'];

describe('IPMI sensors and DCMI power through real Prometheus scraping the simulated ipmi_exporter', () => {
  const scenario = { ...defaultScenario(), tickSeconds: 3600 };
  const [east, west] = eastWest(scenario);

  const stack = useStack(
    scenario,
    [
      // Remote mode: instance = the BMC address, mapped to nodes by IPMI_BMC_NODE_MAP.
      { name: east, shape: 'plain', power: { ipmi: 'bmc' } },
      // Local mode: the exporter runs on each node, instance = <node>:9290.
      { name: west, shape: 'exported', power: { ipmi: 'local' } },
    ],
    {
      CACHE_TTL_REALTIME_SECONDS: '0',
      ANALYZER_ENABLED: 'false',
      IPMI_BMC_NODE_MAP: JSON.stringify(bmcNodeMap(new FleetModel(scenario))),
    },
  );

  const expectedSensors = (cluster?: string): Sensor[] => {
    const power = fleetPower(stack.model);
    return stack.model.nodes(cluster).flatMap((n) =>
      power.ipmiSensorsAt(n.cluster, n.name).map((s) => ({
        cluster: n.cluster,
        node: n.name,
        bmc: n.cluster === east ? power.bmcAddressOf(n.cluster, n.name)! : `${n.name}:9290`,
        id: s.id,
        name: s.name,
        type: s.type.toUpperCase(),
        value: s.value,
        unit: defined(UNITS[s.type.toUpperCase()], `unit of ${s.type}`),
        state: defined(STATES[s.state], `state ${s.state}`),
      })),
    );
  };
  const key = (s: Sensor): string => `${s.cluster}/${s.node}/${s.type}/${s.id}`;
  const sorted = (list: Sensor[]): Sensor[] => [...list].sort((a, b) => key(a).localeCompare(key(b)));

  it('reports every sensor of every BMC with value, unit, state and the node resolved from the BMC address or instance', async () => {
    // The stack is up once the GPU targets are scraped; on a loaded host some ipmi_exporter targets are scraped a
    // moment later. Wait for every BMC's first scrape, then compare exactly.
    const expected = expectedSensors();
    const res = await pollUntil('every BMC scraped', async () => {
      const r = await gql<{ ipmiSensors: Sensor[] }>(stack.url, SENSORS);
      return r.errors || r.data!.ipmiSensors.length >= expected.length ? r : undefined;
    });
    expect(res.errors).toBeUndefined();
    expect(sorted(res.data!.ipmiSensors)).toEqual(sorted(expected));
    // The scenario's faults reach the API: some sensor is not nominal.
    expect(res.data!.ipmiSensors.some((s) => s.state !== 'NOMINAL')).toBe(true);
  });

  it('filters by cluster, node and type, and offers the seed’s power / temperature / fan shortcuts', async () => {
    const node = at(stack.model.nodes(west), 0, `node of ${west}`).name;
    const temps = await gql<{ ipmiSensors: Sensor[] }>(stack.url, SENSORS, {
      f: { cluster: west, node, type: 'TEMPERATURE' },
    });
    expect(sorted(temps.data!.ipmiSensors)).toEqual(
      sorted(expectedSensors(west).filter((s) => s.node === node && s.type === 'TEMPERATURE')),
    );
    for (const [field, type] of [
      ['ipmiPowerSensors', 'POWER'],
      ['ipmiTemperatureSensors', 'TEMPERATURE'],
      ['ipmiFanSensors', 'FAN'],
    ] as const) {
      const res = await gql<Record<string, Sensor[]>>(
        stack.url,
        `{ ${field}(filter: {cluster: "${east}"}) { cluster node bmc id name type value unit state } }`,
      );
      expect(sorted(defined(res.data![field], field))).toEqual(
        sorted(expectedSensors(east).filter((s) => s.type === type)),
      );
    }
    const hostile = await gql<{ ipmiSensors: Sensor[] }>(stack.url, SENSORS, { f: { node: '.*' } });
    expect(hostile.data!.ipmiSensors).toEqual([]);
  });

  it('reports each server’s DCMI input power', async () => {
    const res = await gql<{ nodePower: { cluster: string; node: string; powerWatts: number }[] }>(
      stack.url,
      `{ nodePower { cluster node powerWatts } }`,
    );
    expect(res.errors).toBeUndefined();
    const power = fleetPower(stack.model);
    expect(res.data!.nodePower.map((p) => [p.cluster, p.node, p.powerWatts]).sort()).toEqual(
      stack.model
        .nodes()
        .map((n) => [n.cluster, n.name, power.nodePowerAt(n.cluster, n.name)!.serverInputWatts])
        .sort(),
    );
  });
});
