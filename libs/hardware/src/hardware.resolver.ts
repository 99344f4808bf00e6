import { Args, Query, Resolver } from '@nestjs/graphql';
import {
  CurrentField,
  CurrentScope,
  fullList,
  type ResponseField,
  type TenantScope,
  UpstreamRead,
  validatedInput,
} from '@kcloud/common';
import { HardwareFilterInput, IpmiSensorFilterInput } from './dto/ipmi-filter.input';
import { HardwareService } from './hardware.service';
import { IpmiSensor, IpmiSensorType, ServerPower } from './models/ipmi-sensor.model';

@Resolver(() => IpmiSensor)
export class HardwareResolver {
  constructor(private readonly hardware: HardwareService) {}

  @UpstreamRead()
  @Query(() => [IpmiSensor], {
    description: 'BMC sensors (ipmi_exporter): power, temperature, fan, voltage, current',
  })
  async ipmiSensors(
    @Args(
      'filter',
      { type: () => IpmiSensorFilterInput, nullable: true },
      validatedInput(IpmiSensorFilterInput),
    )
    filter: IpmiSensorFilterInput | undefined,
    @CurrentField() field: ResponseField,
    @CurrentScope() scope: TenantScope,
  ): Promise<IpmiSensor[]> {
    return fullList(field, await this.hardware.sensors(filter ?? {}, scope));
  }

  @UpstreamRead()
  @Query(() => [IpmiSensor], {
    description: 'Shortcut: ipmiSensors(filter: {type: POWER}) (the seed’s /hardware/ipmi/power)',
  })
  async ipmiPowerSensors(
    @Args('filter', { type: () => HardwareFilterInput, nullable: true }, validatedInput(HardwareFilterInput))
    filter: HardwareFilterInput | undefined,
    @CurrentField() field: ResponseField,
    @CurrentScope() scope: TenantScope,
  ): Promise<IpmiSensor[]> {
    return fullList(field, await this.hardware.sensors({ ...filter, type: IpmiSensorType.POWER }, scope));
  }

  @UpstreamRead()
  @Query(() => [IpmiSensor], {
    description: 'Shortcut: temperature sensors (the seed’s /hardware/ipmi/temperature)',
  })
  async ipmiTemperatureSensors(
    @Args('filter', { type: () => HardwareFilterInput, nullable: true }, validatedInput(HardwareFilterInput))
    filter: HardwareFilterInput | undefined,
    @CurrentField() field: ResponseField,
    @CurrentScope() scope: TenantScope,
  ): Promise<IpmiSensor[]> {
    const type = IpmiSensorType.TEMPERATURE;
    return fullList(field, await this.hardware.sensors({ ...filter, type }, scope));
  }

  @UpstreamRead()
  @Query(() => [IpmiSensor], { description: 'Shortcut: fan sensors' })
  async ipmiFanSensors(
    @Args('filter', { type: () => HardwareFilterInput, nullable: true }, validatedInput(HardwareFilterInput))
    filter: HardwareFilterInput | undefined,
    @CurrentField() field: ResponseField,
    @CurrentScope() scope: TenantScope,
  ): Promise<IpmiSensor[]> {
    return fullList(field, await this.hardware.sensors({ ...filter, type: IpmiSensorType.FAN }, scope));
  }

  @UpstreamRead()
  @Query(() => [ServerPower], { description: 'Server input power per node from the BMC (IPMI DCMI)' })
  async nodePower(
    @Args('filter', { type: () => HardwareFilterInput, nullable: true }, validatedInput(HardwareFilterInput))
    filter: HardwareFilterInput | undefined,
    @CurrentField() field: ResponseField,
    @CurrentScope() scope: TenantScope,
  ): Promise<ServerPower[]> {
    return fullList(field, await this.hardware.serverPower(filter ?? {}, scope));
  }
}
