import { ErrorCode, type PartialResult, type TenantScope } from '@kcloud/common';
import type { CacheService } from '@kcloud/cache';
import type { IpmiSensorSample, IpmiSource, NodePowerSample, PowerSource } from '@kcloud/metrics-source';
import { HardwareService } from './hardware.service';
import { IpmiSensorType } from './models/ipmi-sensor.model';

const SENSOR: IpmiSensorSample = {
  cluster: 'east',
  node: 'n1',
  bmc: '10.0.0.21:623',
  id: '1',
  name: 'PSU1 Input',
  type: 'power',
  value: 412,
  state: 0,
  observedAt: new Date(0),
};

function service(): { hardware: HardwareService; reads: string[] } {
  const reads: string[] = [];
  const source = {
    ipmiSensors: async (): Promise<PartialResult<IpmiSensorSample>> => {
      reads.push('ipmi');
      return { items: [SENSOR], failures: [] };
    },
    nodePower: async (): Promise<PartialResult<NodePowerSample>> => {
      reads.push('dcmi');
      return { items: [], failures: [] };
    },
  } as unknown as PowerSource & IpmiSource;
  const cache = {
    getOrLoad: (_k: string, _t: string, load: () => Promise<unknown>) => load(),
  } as unknown as CacheService;
  return { hardware: new HardwareService(source, source, cache), reads };
}

describe('HardwareService scope', () => {
  const partner: TenantScope = { namespaces: ['team-a'] };

  it.each([
    ['every sensor', {}],
    ['power sensors (the node power nodePower refuses)', { type: IpmiSensorType.POWER }],
    ['temperature sensors (they name the BMC)', { type: IpmiSensorType.TEMPERATURE }],
  ])(
    'refuses %s to a namespace-scoped key like nodePower, without reading the source',
    async (_what, query) => {
      const { hardware, reads } = service();
      await expect(hardware.sensors(query, partner)).rejects.toMatchObject({ code: ErrorCode.FORBIDDEN });
      await expect(hardware.serverPower({}, partner)).rejects.toMatchObject({ code: ErrorCode.FORBIDDEN });
      expect(reads).toEqual([]);
    },
  );

  it('serves sensors to cluster-scoped and unrestricted keys', async () => {
    const { hardware } = service();
    for (const scope of [{}, { clusters: ['east'] }]) {
      const { items } = await hardware.sensors({ type: IpmiSensorType.POWER }, scope);
      expect(items).toHaveLength(1);
    }
  });

  it('reads only the clusters the labels selected, and nothing (not every cluster) when they selected none', async () => {
    const { hardware, reads } = service();
    expect((await hardware.sensors({ labelledClusters: ['east'] }, {})).items).toHaveLength(1);
    for (const [query, scope] of [
      [{ labelledClusters: [] }, {}],
      [{ cluster: 'east', labelledClusters: ['west'] }, {}],
      [{ labelledClusters: ['east'] }, { clusters: ['west'] }],
    ] as const) {
      expect(await hardware.sensors(query, scope)).toEqual({ items: [], failures: [] });
      expect(await hardware.serverPower(query, scope)).toEqual({ items: [], failures: [] });
    }
    expect(reads).toEqual(['ipmi']);
  });
});
