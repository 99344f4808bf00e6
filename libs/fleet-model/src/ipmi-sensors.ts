import { noise } from './hash';
import type { SimNodePower } from './node-power';

/**
 * The BMC sensors ipmi_exporter reports for one server (METRICS.md §3), derived from the node's power so that
 * temperatures, fan speeds and PSU currents move with load. A few nodes carry deterministic faults (a hot inlet,
 * a dead fan) so warning and critical states show up in every fleet of more than a handful of nodes.
 */
export type SimSensorType = 'power' | 'temperature' | 'fan' | 'voltage' | 'current';
/** ipmi_exporter's state gauge: 0 nominal, 1 warning, 2 critical. */
export type SimSensorState = 0 | 1 | 2;

export interface SimIpmiSensor {
  readonly id: string;
  readonly name: string;
  readonly type: SimSensorType;
  /** In the unit of its family: W, °C, RPM, V, A. */
  readonly value: number;
  readonly state: SimSensorState;
}

const CH_INLET = 201;
const CH_HOT_AISLE = 202;
const CH_FAN_FAULT = 203;
const CH_SENSOR_NOISE = 204;

/** Thresholds a BMC typically ships for these sensors (lower-critical for fans: a stopped fan). */
const EXHAUST_WARNING_C = 60;
const EXHAUST_CRITICAL_C = 70;
const CPU_WARNING_C = 85;
const CPU_CRITICAL_C = 95;
const FAN_CRITICAL_BELOW_RPM = 500;
const PSU_VOLTS = 230;

const round = (v: number, digits: number): number => Math.round(v * 10 ** digits) / 10 ** digits;

function above(value: number, warning: number, critical: number): SimSensorState {
  return value >= critical ? 2 : value >= warning ? 1 : 0;
}

export function ipmiSensorReadings(nodeKey: number, bucket: number, power: SimNodePower): SimIpmiSensor[] {
  const wiggle = (channel: number): number => noise(nodeKey, bucket, CH_SENSOR_NOISE + channel) - 0.5;
  // Roughly one node in six sits in a hot aisle, one in seven has a fan that stopped.
  const hotAisle = noise(nodeKey, 0, CH_HOT_AISLE) < 1 / 6;
  const deadFan = noise(nodeKey, 0, CH_FAN_FAULT) < 1 / 7;
  const inlet = round(18 + 6 * noise(nodeKey, 0, CH_INLET) + (hotAisle ? 14 : 0), 0);
  const exhaust = round(inlet + 6 + 0.006 * power.serverInputWatts + wiggle(1), 0);
  const cpu1 = round(38 + 0.22 * power.cpuPackageWatts + wiggle(2), 0);
  const cpu2 = round(36 + 0.22 * power.cpuPackageWatts + wiggle(3), 0);
  const fanRpm = (i: number): number =>
    deadFan && i === 3 ? 0 : Math.round((4200 + 70 * (exhaust - 30) + 120 * wiggle(10 + i)) / 60) * 60;
  const sensors: SimIpmiSensor[] = [
    { id: '90', name: 'Pwr Consumption', type: 'power', value: power.serverInputWatts, state: 0 },
    { id: '18', name: 'Inlet Temp', type: 'temperature', value: inlet, state: above(inlet, 35, 42) },
    {
      id: '19',
      name: 'Exhaust Temp',
      type: 'temperature',
      value: exhaust,
      state: above(exhaust, EXHAUST_WARNING_C, EXHAUST_CRITICAL_C),
    },
    {
      id: '20',
      name: 'CPU1 Temp',
      type: 'temperature',
      value: cpu1,
      state: above(cpu1, CPU_WARNING_C, CPU_CRITICAL_C),
    },
    {
      id: '21',
      name: 'CPU2 Temp',
      type: 'temperature',
      value: cpu2,
      state: above(cpu2, CPU_WARNING_C, CPU_CRITICAL_C),
    },
  ];
  for (let i = 1; i <= 4; i++) {
    const rpm = fanRpm(i);
    sensors.push({
      id: String(11 + i),
      name: `Fan${i}A`,
      type: 'fan',
      value: rpm,
      state: rpm < FAN_CRITICAL_BELOW_RPM ? 2 : 0,
    });
  }
  sensors.push(
    { id: '60', name: '12V', type: 'voltage', value: round(12 + 0.1 * wiggle(20), 2), state: 0 },
    { id: '61', name: '5V', type: 'voltage', value: round(5 + 0.05 * wiggle(21), 2), state: 0 },
    { id: '62', name: '3.3V', type: 'voltage', value: round(3.3 + 0.03 * wiggle(22), 2), state: 0 },
    { id: '63', name: 'VBAT', type: 'voltage', value: round(3.05 + 0.02 * wiggle(23), 2), state: 0 },
    // Two PSUs share the load evenly.
    {
      id: '70',
      name: 'Current 1',
      type: 'current',
      value: round(power.serverInputWatts / 2 / PSU_VOLTS, 1),
      state: 0,
    },
    {
      id: '71',
      name: 'Current 2',
      type: 'current',
      value: round(power.serverInputWatts / 2 / PSU_VOLTS, 1),
      state: 0,
    },
  );
  return sensors;
}
