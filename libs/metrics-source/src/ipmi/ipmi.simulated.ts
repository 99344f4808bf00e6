import type { PartialResult } from '@kcloud/common';
import { fleetPower, type FleetModel } from '@kcloud/fleet-model';
import { classifyReading } from '../quality/reading-value';
import type { InfraFilter } from '../shared/infra-filter';
import { filteredInfra, simulatedNodes } from '../shared/simulated-infra';
import type { IpmiSensorSample, IpmiSource } from './ipmi.port';

/** The BMC sensors the simulated ipmi_exporter would report for every selected node. */
export class SimulatedIpmi implements IpmiSource {
  constructor(
    private readonly model: FleetModel,
    private readonly now: () => number = Date.now,
  ) {}

  async ipmiSensors(filter: InfraFilter): Promise<PartialResult<IpmiSensorSample>> {
    const at = this.now();
    const power = fleetPower(this.model);
    return filteredInfra(
      filter,
      simulatedNodes(this.model, filter, at).flatMap((n) => {
        const bmc = power.bmcAddressOf(n.cluster, n.node) ?? n.node;
        return power.ipmiSensorsAt(n.cluster, n.node, at).map((s) => ({
          cluster: n.cluster,
          node: n.node,
          bmc,
          id: s.id,
          name: s.name,
          type: s.type,
          ...judgedSensorValue(s.type, s.value),
          state: s.state,
          observedAt: new Date(at),
        }));
      }),
    );
  }
}

/** The sensor's value as the Prometheus adapter would serve it (the same classifier, the same reason). */
function judgedSensorValue(
  type: IpmiSensorSample['type'],
  value: number,
): Pick<IpmiSensorSample, 'value' | 'invalidReadings'> {
  const verdict = classifyReading(`ipmi.${type}`, value);
  return verdict.ok
    ? { value: verdict.value }
    : { invalidReadings: [{ field: 'value', reason: verdict.reason }] };
}
