import type {
  HostSeriesPoint,
  HostSeriesSource,
  InfraFilter,
  NodePowerSeries,
  PowerRangeWindow,
  PowerSource,
} from '@kcloud/metrics-source';
import { nodeHistoryKey, NodeHistoryService } from './node-history.service';

const at = (s: number) => Date.UTC(2026, 0, 1, 0, 0, s);
const range = { from: new Date(at(0)), to: new Date(at(30)), stepSeconds: 15 };

function fakePower(series: readonly NodePowerSeries[]) {
  const calls: { filter: InfraFilter; window: PowerRangeWindow }[] = [];
  const source = {
    async nodePowerRange(filter: InfraFilter, window: PowerRangeWindow) {
      calls.push({ filter, window });
      return { items: series, failures: [] };
    },
  } as unknown as PowerSource;
  return { source, calls };
}

function fakeHosts(points: readonly HostSeriesPoint[]) {
  const calls: unknown[] = [];
  const source: HostSeriesSource = {
    nodeHostSeries(filter, range) {
      calls.push({ filter, range });
      return Promise.resolve({ items: points, failures: [] });
    },
  };
  return { source, calls };
}
const noHosts = fakeHosts([]).source;

describe('NodeHistoryService', () => {
  it('reads every node in one range read and takes whole-node power by the shared rule per step', async () => {
    const { source, calls } = fakePower([
      {
        cluster: 'east',
        node: 'n1',
        invalidReadings: [],
        components: {
          // The BMC answers at 15 s only: there it wins over Kepler's platform reading.
          serverInputWatts: [{ timestampMs: at(15), value: 900 }],
          platformWatts: [
            { timestampMs: at(0), value: 700 },
            { timestampMs: at(15), value: 710 },
          ],
          cpuPackageWatts: [{ timestampMs: at(0), value: 200 }],
        },
      },
    ]);
    const { byKey } = await new NodeHistoryService(source, noHosts).series(
      [
        { cluster: 'east', node: 'n1' },
        { cluster: 'west', node: 'n2' },
      ],
      range,
      { clusters: ['east'] },
    );
    expect(calls).toEqual([{ filter: { clusters: ['east'], nodes: ['n1', 'n2'] }, window: range }]);
    const n1 = byKey.get(nodeHistoryKey({ cluster: 'east', node: 'n1' }))!;
    expect(n1.get(at(0))).toMatchObject({
      nodePowerWatts: 700,
      nodePowerSource: 'kepler_platform',
      cpuPackageWatts: 200,
    });
    expect(n1.get(at(15))).toMatchObject({
      nodePowerWatts: 900,
      nodePowerSource: 'ipmi_dcmi',
      platformWatts: 710,
    });
    expect(n1.has(at(30))).toBe(false);
  });

  it('refuses a namespace-scoped key (node-wide) before reading', async () => {
    const { source, calls } = fakePower([]);
    await expect(
      new NodeHistoryService(source, noHosts).series([{ cluster: 'east', node: 'n1' }], range, {
        namespaces: ['llm'],
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(calls).toHaveLength(0);
  });

  it('reads node_exporter only when asked, and merges its readings into the power points of the same step', async () => {
    const power = fakePower([
      {
        cluster: 'east',
        node: 'n1',
        invalidReadings: [],
        components: { platformWatts: [{ timestampMs: at(0), value: 700 }] },
      },
    ]);
    const hosts = fakeHosts([
      {
        cluster: 'east',
        node: 'n1',
        timestampMs: at(0),
        memoryUtilizationPercent: 25,
        cpuUtilizationPercent: 60,
      },
      { cluster: 'east', node: 'n1', timestampMs: at(15), memoryUtilizationPercent: 26 },
    ]);
    const service = new NodeHistoryService(power.source, hosts.source);
    await service.series([{ cluster: 'east', node: 'n1' }], range, {});
    expect(hosts.calls).toHaveLength(0);
    const { byKey } = await service.series([{ cluster: 'east', node: 'n1' }], range, {}, true);
    expect(hosts.calls).toHaveLength(1);
    const n1 = byKey.get(nodeHistoryKey({ cluster: 'east', node: 'n1' }))!;
    expect(n1.get(at(0))).toMatchObject({
      platformWatts: 700,
      memoryUtilizationPercent: 25,
      cpuUtilizationPercent: 60,
    });
    expect(n1.get(at(15))).toEqual({ memoryUtilizationPercent: 26, cpuUtilizationPercent: undefined });
  });
});
