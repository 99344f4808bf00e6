import type { AppConfig, PartialResult } from '@kcloud/common';
import type { ClusterRegistry } from '@kcloud/prometheus';
import { fanOutInfra } from '../shared/infra-fan-out';
import type { InfraFilter } from '../shared/infra-filter';
import { IPMI_FAMILIES, ipmiSensorsQuery, joinIpmiSensors } from './ipmi-sensors';
import type { IpmiSensorSample, IpmiSource } from './ipmi.port';

const IPMI_TYPES = Object.keys(IPMI_FAMILIES) as (keyof typeof IPMI_FAMILIES)[];

/** BMC sensors from ipmi_exporter: one request per cluster whatever the sensor count. */
export class PrometheusIpmi implements IpmiSource {
  constructor(
    private readonly registry: ClusterRegistry,
    private readonly config: AppConfig,
  ) {}

  ipmiSensors(filter: InfraFilter): Promise<PartialResult<IpmiSensorSample>> {
    return fanOutInfra(this.registry, filter, async (client, cluster) =>
      joinIpmiSensors(
        cluster.name,
        await client.instant(ipmiSensorsQuery(this.registry.scopeMatchers(cluster.name), IPMI_TYPES)),
        this.config.power.bmcNodeMap,
      ),
    );
  }
}
