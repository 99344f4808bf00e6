import { Args, Query, Resolver } from '@nestjs/graphql';
import {
  CurrentField,
  CurrentScope,
  defineResolverMethod,
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
  @Query(() => [ServerPower], { description: 'Server input power per node from the BMC (IPMI DCMI)' })
  async nodePower(
    @HardwareFilter() filter: HardwareFilterInput | undefined,
    @CurrentField() field: ResponseField,
    @CurrentScope() scope: TenantScope,
  ): Promise<ServerPower[]> {
    return fullList(field, await this.hardware.serverPower(this.labels.resolve(filter ?? {}), scope));
  }

  /** The shortcut queries (SENSOR_SHORTCUTS): one sensor type, the hardware filter otherwise. */
  async sensorsOfType(
    type: IpmiSensorType,
    filter: HardwareFilterInput | undefined,
    field: ResponseField,
    scope: TenantScope,
  ): Promise<IpmiSensor[]> {
    return fullList(field, await this.hardware.sensors(this.labels.resolve({ ...filter, type }), scope));
  }
}

/** Shortcut queries for one sensor type each, as data: one body (sensorsOfType) serves them all. */
const SENSOR_SHORTCUTS: readonly { name: string; type: IpmiSensorType; description: string }[] = [
  {
    name: 'ipmiPowerSensors',
    type: IpmiSensorType.POWER,
    description: 'Shortcut: ipmiSensors(filter: {type: POWER}) (the seed’s /hardware/ipmi/power)',
  },
  {
    name: 'ipmiTemperatureSensors',
    type: IpmiSensorType.TEMPERATURE,
    description: 'Shortcut: temperature sensors (the seed’s /hardware/ipmi/temperature)',
  },
  { name: 'ipmiFanSensors', type: IpmiSensorType.FAN, description: 'Shortcut: fan sensors' },
];

for (const shortcut of SENSOR_SHORTCUTS)
  defineResolverMethod(
    HardwareResolver,
    shortcut.name,
    function (
      this: HardwareResolver,
      filter: HardwareFilterInput | undefined,
      field: ResponseField,
      scope: TenantScope,
    ) {
      return this.sensorsOfType(shortcut.type, filter, field, scope);
    },
    {
      method: [UpstreamRead(), Query(() => [IpmiSensor], { description: shortcut.description })],
      params: [HardwareFilter(), CurrentField(), CurrentScope()],
    },
  );
