import { type Matcher, type PromQL, selectorByNames } from '@kcloud/prometheus';
import type { PromSample } from '../shared/prom-sample';
import type { InvalidReading } from '../quality/reading-quality';
import { classifyReading } from '../quality/reading-value';
import { bmcNodeOf } from '../power/node-identity';
import type { IpmiSensorSample, IpmiSensorType } from './ipmi.port';

/** ipmi_exporter's sensor families: value and state per type (METRICS.md §3). */
export const IPMI_FAMILIES = {
  power: { value: 'ipmi_power_watts', state: 'ipmi_power_state', unit: 'W' },
  temperature: { value: 'ipmi_temperature_celsius', state: 'ipmi_temperature_state', unit: 'C' },
  fan: { value: 'ipmi_fan_speed_rpm', state: 'ipmi_fan_speed_state', unit: 'RPM' },
  voltage: { value: 'ipmi_voltage_volts', state: 'ipmi_voltage_state', unit: 'V' },
  current: { value: 'ipmi_current_amperes', state: 'ipmi_current_state', unit: 'A' },
} as const;

export function ipmiSensorsQuery(
  scope: readonly Matcher[],
  types: readonly (keyof typeof IPMI_FAMILIES)[],
): PromQL {
  const names = types.flatMap((t) => [IPMI_FAMILIES[t].value, IPMI_FAMILIES[t].state]);
  return selectorByNames(names, [...scope]);
}

const TYPE_OF_FAMILY = new Map<string, { type: IpmiSensorType; kind: 'value' | 'state' }>(
  (Object.entries(IPMI_FAMILIES) as [IpmiSensorType, (typeof IPMI_FAMILIES)[IpmiSensorType]][]).flatMap(
    ([type, f]) => [
      [f.value, { type, kind: 'value' as const }],
      [f.state, { type, kind: 'state' as const }],
    ],
  ),
);

export function joinIpmiSensors(
  cluster: string,
  samples: readonly (PromSample & { readonly timestampMs?: number })[],
  bmcMap: Readonly<Record<string, string>>,
): IpmiSensorSample[] {
  const sensors = new Map<
    string,
    {
      bmc: string;
      id: string;
      name: string;
      type: IpmiSensorType;
      value?: number;
      state?: number;
      at: number;
      invalidReadings?: readonly InvalidReading[];
    }
  >();
  for (const { labels: l, value, timestampMs } of samples) {
    const family = TYPE_OF_FAMILY.get(l.__name__ ?? '');
    if (!family) continue;
    const bmc = l.instance ?? '';
    const key = `${bmc}\u0000${family.type}\u0000${l.id}`;
    const s = sensors.get(key) ?? { bmc, id: l.id ?? '', name: l.name ?? '', type: family.type, at: 0 };
    if (family.kind === 'value') {
      const verdict = classifyReading(`ipmi.${family.type}`, value);
      s.value = verdict.ok ? verdict.value : undefined;
      s.invalidReadings = verdict.ok ? undefined : [{ field: 'value', reason: verdict.reason }];
    } else if (Number.isFinite(value)) s.state = value;
    s.at = Math.max(s.at, timestampMs ?? 0);
    sensors.set(key, s);
  }
  // A sensor whose reading was refused is still listed: its value is null, with the reason.
  return [...sensors.values()]
    .filter((s) => s.value !== undefined || s.invalidReadings !== undefined)
    .map((s) => ({
      cluster,
      node: bmcNodeOf(s.bmc, bmcMap),
      bmc: s.bmc,
      id: s.id,
      name: s.name,
      type: s.type,
      value: s.value,
      state: s.state,
      invalidReadings: s.invalidReadings,
      observedAt: new Date(s.at),
    }));
}
