import type { SimIpmiSensor, SimSensorType } from '@kcloud/fleet-model';

import { formatGoFloat, sortedLabelSet } from './go-float';
import { escapeLabelValue, familyHeader } from './text-format';

/**
 * prometheus-community/ipmi_exporter output for one BMC (METRICS.md §3): per sensor type a value and a state family
 * (`{id, name}`), the DCMI power reading, `ipmi_up` per collector. The exporter emits no node or host label: who the
 * series belong to is the scrape's `instance` (the BMC address in remote mode).
 */
const FAMILIES: Readonly<
  Record<SimSensorType, { value: string; valueHelp: string; state: string; kind: string }>
> = {
  current: {
    value: 'ipmi_current_amperes',
    valueHelp: 'Current reading in Amperes.',
    state: 'ipmi_current_state',
    kind: 'current',
  },
  fan: {
    value: 'ipmi_fan_speed_rpm',
    valueHelp: 'Fan speed in rotations per minute.',
    state: 'ipmi_fan_speed_state',
    kind: 'fan speed',
  },
  power: {
    value: 'ipmi_power_watts',
    valueHelp: 'Power reading in Watts.',
    state: 'ipmi_power_state',
    kind: 'power',
  },
  temperature: {
    value: 'ipmi_temperature_celsius',
    valueHelp: 'Temperature reading in degree Celsius.',
    state: 'ipmi_temperature_state',
    kind: 'temperature',
  },
  voltage: {
    value: 'ipmi_voltage_volts',
    valueHelp: 'Voltage reading in Volts.',
    state: 'ipmi_voltage_state',
    kind: 'voltage',
  },
};

export function renderIpmi(sensors: readonly SimIpmiSensor[], dcmiPowerWatts: number): string {
  const lines: string[] = [];
  const family = (
    name: string,
    help: string,
    rows: readonly (readonly [Record<string, string>, number])[],
  ): void => {
    lines.push(familyHeader(name, help, 'gauge'));
    for (const [labels, value] of rows)
      lines.push(`${name}${sortedLabelSet(labels, escapeLabelValue)} ${formatGoFloat(value)}`);
  };
  const entries: [string, () => void][] = [
    [
      'ipmi_dcmi_power_consumption_watts',
      () =>
        family('ipmi_dcmi_power_consumption_watts', 'Current power consumption in Watts.', [
          [{}, dcmiPowerWatts],
        ]),
    ],
    [
      'ipmi_scrape_duration_seconds',
      () =>
        family('ipmi_scrape_duration_seconds', 'Returns how long the scrape took to complete in seconds.', [
          [{}, 0.412],
        ]),
    ],
    [
      'ipmi_up',
      () =>
        family('ipmi_up', "'1' if a scrape of the IPMI device was successful, '0' otherwise.", [
          [{ collector: 'dcmi' }, 1],
          [{ collector: 'ipmi' }, 1],
        ]),
    ],
  ];
  for (const [type, f] of Object.entries(FAMILIES) as [SimSensorType, (typeof FAMILIES)[SimSensorType]][]) {
    const own = sensors.filter((s) => s.type === type);
    if (!own.length) continue;
    entries.push([
      f.value,
      () =>
        family(
          f.value,
          f.valueHelp,
          own.map((s) => [{ id: s.id, name: s.name }, s.value]),
        ),
    ]);
    entries.push([
      f.state,
      () =>
        family(
          f.state,
          `Reported state of a ${f.kind} sensor (0=nominal, 1=warning, 2=critical).`,
          own.map((s) => [{ id: s.id, name: s.name }, s.state]),
        ),
    ]);
  }
  // client_golang's registry gathers families sorted by name.
  for (const [, render] of entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) render();
  return `${lines.join('\n')}\n`;
}
