import { Field, Float, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum IpmiSensorType {
  POWER = 'POWER',
  TEMPERATURE = 'TEMPERATURE',
  FAN = 'FAN',
  VOLTAGE = 'VOLTAGE',
  CURRENT = 'CURRENT',
}
registerEnumType(IpmiSensorType, { name: 'IpmiSensorType' });

export enum SensorState {
  NOMINAL = 'NOMINAL',
  WARNING = 'WARNING',
  CRITICAL = 'CRITICAL',
  UNKNOWN = 'UNKNOWN',
}
registerEnumType(SensorState, {
  name: 'SensorState',
  description: 'The BMC’s own judgement of the reading (UNKNOWN: N/A)',
});

@ObjectType({ description: 'One BMC sensor as ipmi_exporter reports it' })
export class IpmiSensor {
  @Field() cluster!: string;
  @Field({ description: 'The BMC’s instance without port, or the node the BMC map names for it' })
  node!: string;
  @Field({
    description: 'The scrape instance: the BMC address (remote mode) or the exporter host (local mode)',
  })
  bmc!: string;
  @Field({ description: 'IPMI sensor id' }) id!: string;
  @Field({ description: 'Sensor name as the BMC reports it, e.g. "Inlet Temp"' }) name!: string;
  @Field(() => IpmiSensorType) type!: IpmiSensorType;
  @Field(() => Float, {
    nullable: true,
    description:
      'The reading, in `unit`; null when the BMC sent a value that is not a reading (a blank sentinel, NaN, a physically impossible value)',
  })
  value?: number;
  @Field({ description: 'watts, celsius, rpm, volts or amperes' }) unit!: string;
  @Field(() => SensorState) state!: SensorState;
  @Field(() => Date) observedAt!: Date;
}

@ObjectType({ description: 'A server’s input power as its BMC measures it (IPMI DCMI)' })
export class ServerPower {
  @Field() cluster!: string;
  @Field() node!: string;
  @Field(() => Float, { description: 'ipmi_dcmi_power_consumption_watts, watts' }) powerWatts!: number;
  @Field(() => Date) observedAt!: Date;
}
