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
import { ClusterLabelResolution } from '@kcloud/metrics-source';
import { HardwareFilterInput, IpmiSensorFilterInput } from './dto/ipmi-filter.input';
import { HardwareService } from './hardware.service';
import { IpmiSensor, IpmiSensorType, ServerPower } from './models/ipmi-sensor.model';

/** The optional, validated `filter: HardwareFilterInput` argument every node-level hardware query takes. */
const HardwareFilter = () =>
  Args('filter', { type: () => HardwareFilterInput, nullable: true }, validatedInput(HardwareFilterInput));

@Resolver(() => IpmiSensor)
export class HardwareResolver {
  constructor(
    private readonly hardware: HardwareService,
    private readonly labels: ClusterLabelResolution,
  ) {}

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
    return fullList(field, await this.hardware.sensors(this.labels.resolve(filter ?? {}), scope));
  }

  @UpstreamRead()
  @Query(() => [IpmiSensor], {
    description: 'Shortcut: ipmiSensors(filter: {type: POWER}) (the seed’s /hardware/ipmi/power)',
  })
  async ipmiPowerSensors(
    @HardwareFilter() filter: HardwareFilterInput | undefined,
    @CurrentField() field: ResponseField,
    @CurrentScope() scope: TenantScope,
  ): Promise<IpmiSensor[]> {
    return this.sensorsOfType(IpmiSensorType.POWER, filter, field, scope);
  }

  @UpstreamRead()
  @Query(() => [IpmiSensor], {
    description: 'Shortcut: temperature sensors (the seed’s /hardware/ipmi/temperature)',
  })
  async ipmiTemperatureSensors(
    @HardwareFilter() filter: HardwareFilterInput | undefined,
    @CurrentField() field: ResponseField,
    @CurrentScope() scope: TenantScope,
  ): Promise<IpmiSensor[]> {
    return this.sensorsOfType(IpmiSensorType.TEMPERATURE, filter, field, scope);
  }

  @UpstreamRead()
  @Query(() => [IpmiSensor], { description: 'Shortcut: fan sensors' })
  async ipmiFanSensors(
    @HardwareFilter() filter: HardwareFilterInput | undefined,
    @CurrentField() field: ResponseField,
    @CurrentScope() scope: TenantScope,
  ): Promise<IpmiSensor[]> {
    return this.sensorsOfType(IpmiSensorType.FAN, filter, field, scope);
  }

  @UpstreamRead()
  @Query(() => [ServerPower], { description: 'Server input power per node from the BMC (IPMI DCMI)' })
  async nodePower(
    @HardwareFilter() filter: HardwareFilterInput | undefined,
    @CurrentField() field: ResponseField,
    @CurrentScope() scope: TenantScope,
  ): Promise<ServerPower[]> {
    return fullList(field, await this.hardware.serverPower(this.labels.resolve(filter ?? {}), scope));
  }

  /** The shortcut queries: one sensor type, the hardware filter otherwise. */
  private async sensorsOfType(
    type: IpmiSensorType,
    filter: HardwareFilterInput | undefined,
    field: ResponseField,
    scope: TenantScope,
  ): Promise<IpmiSensor[]> {
    return fullList(field, await this.hardware.sensors(this.labels.resolve({ ...filter, type }), scope));
  }
}
