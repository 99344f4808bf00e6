import type { IpmiSensorSample, IpmiSensorType as SourceSensorType } from '@kcloud/metrics-source';
import { type IpmiSensor, IpmiSensorType, SensorState } from './models/ipmi-sensor.model';

/** ipmi_exporter's families by GraphQL type, and the unit each family's values are in. */
export const SENSOR_TYPES: Readonly<
  Record<IpmiSensorType, { readonly source: SourceSensorType; readonly unit: string }>
> = {
  [IpmiSensorType.POWER]: { source: 'power', unit: 'watts' },
  [IpmiSensorType.TEMPERATURE]: { source: 'temperature', unit: 'celsius' },
  [IpmiSensorType.FAN]: { source: 'fan', unit: 'rpm' },
  [IpmiSensorType.VOLTAGE]: { source: 'voltage', unit: 'volts' },
  [IpmiSensorType.CURRENT]: { source: 'current', unit: 'amperes' },
};

const TYPE_OF_SOURCE = new Map(
  Object.entries(SENSOR_TYPES).map(([type, t]) => [t.source, type as IpmiSensorType]),
);

/** ipmi_exporter's state gauge: 0 nominal, 1 warning, 2 critical, NaN (absent here) for N/A. */
const STATES: readonly SensorState[] = [SensorState.NOMINAL, SensorState.WARNING, SensorState.CRITICAL];

export function sensorState(state: number | undefined): SensorState {
  return (state !== undefined && STATES[state]) || SensorState.UNKNOWN;
}

export function toIpmiSensor(s: IpmiSensorSample): IpmiSensor {
  const type = TYPE_OF_SOURCE.get(s.type) ?? IpmiSensorType.POWER;
  return {
    cluster: s.cluster,
    node: s.node,
    bmc: s.bmc,
    id: s.id,
    name: s.name,
    type,
    value: s.value,
    unit: SENSOR_TYPES[type].unit,
    state: sensorState(s.state),
    observedAt: s.observedAt,
  };
}

/** Stable order: cluster, node, type, numeric sensor id. */
export function compareSensors(a: IpmiSensor, b: IpmiSensor): number {
  return (
    a.cluster.localeCompare(b.cluster) ||
    a.node.localeCompare(b.node) ||
    a.type.localeCompare(b.type) ||
    a.id.localeCompare(b.id, undefined, { numeric: true })
  );
}
