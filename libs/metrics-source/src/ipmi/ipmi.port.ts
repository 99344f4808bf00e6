import type { PartialResult } from '@kcloud/common';
import type { WithInvalidReadings } from '../quality/reading-quality';
import type { InfraFilter } from '../shared/infra-filter';

/** BMC sensors from ipmi_exporter (power, temperature, fan, voltage, current), one request per cluster. */
export const IPMI_SOURCE = Symbol('IPMI_SOURCE');

export type IpmiSensorType = 'power' | 'temperature' | 'fan' | 'voltage' | 'current';

export interface IpmiSensorSample extends WithInvalidReadings {
  readonly cluster: string;
  /** The BMC's `instance` with the port stripped, or the node the BMC map names for it. */
  readonly node: string;
  /** The scrape's `instance`: the BMC address (remote mode) or the exporter host (local mode). */
  readonly bmc: string;
  readonly id: string;
  readonly name: string;
  readonly type: IpmiSensorType;
  /** Absent when the BMC's reading was refused (blank, NaN, impossible); `invalidReadings` then says why. */
  readonly value?: number;
  /** 0 nominal, 1 warning, 2 critical; undefined when the BMC reports N/A. */
  readonly state?: number;
  readonly observedAt: Date;
}

export interface IpmiSource {
  ipmiSensors(filter: InfraFilter): Promise<PartialResult<IpmiSensorSample>>;
}
