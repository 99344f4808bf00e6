import { IpmiSensorType, SensorState } from './models/ipmi-sensor.model';
import { sensorState, toIpmiSensor } from './sensor-view';

describe('sensor view', () => {
  it.each([
    [0, SensorState.NOMINAL],
    [1, SensorState.WARNING],
    [2, SensorState.CRITICAL],
    [undefined, SensorState.UNKNOWN],
    [7, SensorState.UNKNOWN],
  ])('maps ipmi_exporter state %p to %s', (state, expected) => {
    expect(sensorState(state)).toBe(expected);
  });

  it.each([
    ['power', IpmiSensorType.POWER, 'watts'],
    ['temperature', IpmiSensorType.TEMPERATURE, 'celsius'],
    ['fan', IpmiSensorType.FAN, 'rpm'],
    ['voltage', IpmiSensorType.VOLTAGE, 'volts'],
    ['current', IpmiSensorType.CURRENT, 'amperes'],
  ] as const)('gives %s sensors type %s and unit %s', (type, gqlType, unit) => {
    const s = toIpmiSensor({
      cluster: 'c',
      node: 'n',
      bmc: '10.0.0.1',
      id: '1',
      name: 'x',
      type,
      value: 1,
      state: 0,
      observedAt: new Date(0),
    });
    expect([s.type, s.unit]).toEqual([gqlType, unit]);
  });
});
