import { Args, Context, Query, Resolver } from '@nestjs/graphql';
import {
  CurrentScope,
  type PartialErrorsContext,
  reportClusterFailures,
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
  ipmiSensors(
    @Args('filter', { type: () => IpmiSensorFilterInput, nullable: true }, validatedInput(IpmiSensorFilterInput))
    filter: IpmiSensorFilterInput | undefined,
    @Context() ctx: PartialErrorsContext,
    @CurrentScope() scope: TenantScope,
  ): Promise<IpmiSensor[]> {
    return this.read(ctx, 'ipmiSensors', this.hardware.sensors(filter ?? {}, scope));
  }

  @UpstreamRead()
  @Query(() => [IpmiSensor], {
    description: 'Shortcut: ipmiSensors(filter: {type: POWER}) (the seed’s /hardware/ipmi/power)',
  })
  ipmiPowerSensors(
    @Args('filter', { type: () => HardwareFilterInput, nullable: true }, validatedInput(HardwareFilterInput))
    filter: HardwareFilterInput | undefined,
    @Context() ctx: PartialErrorsContext,
    @CurrentScope() scope: TenantScope,
  ): Promise<IpmiSensor[]> {
    return this.read(
      ctx,
      'ipmiPowerSensors',
      this.hardware.sensors({ ...filter, type: IpmiSensorType.POWER }, scope),
    );
  }

  @UpstreamRead()
  @Query(() => [IpmiSensor], {
    description: 'Shortcut: temperature sensors (the seed’s /hardware/ipmi/temperature)',
  })
  ipmiTemperatureSensors(
    @Args('filter', { type: () => HardwareFilterInput, nullable: true }, validatedInput(HardwareFilterInput))
    filter: HardwareFilterInput | undefined,
    @Context() ctx: PartialErrorsContext,
    @CurrentScope() scope: TenantScope,
  ): Promise<IpmiSensor[]> {
    return this.read(
      ctx,
      'ipmiTemperatureSensors',
      this.hardware.sensors({ ...filter, type: IpmiSensorType.TEMPERATURE }, scope),
    );
  }

  @UpstreamRead()
  @Query(() => [IpmiSensor], { description: 'Shortcut: fan sensors' })
  ipmiFanSensors(
    @Args('filter', { type: () => HardwareFilterInput, nullable: true }, validatedInput(HardwareFilterInput))
    filter: HardwareFilterInput | undefined,
    @Context() ctx: PartialErrorsContext,
    @CurrentScope() scope: TenantScope,
  ): Promise<IpmiSensor[]> {
    return this.read(
      ctx,
      'ipmiFanSensors',
      this.hardware.sensors({ ...filter, type: IpmiSensorType.FAN }, scope),
    );
  }

  @UpstreamRead()
  @Query(() => [ServerPower], { description: 'Server input power per node from the BMC (IPMI DCMI)' })
  nodePower(
    @Args('filter', { type: () => HardwareFilterInput, nullable: true }, validatedInput(HardwareFilterInput))
    filter: HardwareFilterInput | undefined,
    @Context() ctx: PartialErrorsContext,
    @CurrentScope() scope: TenantScope,
  ): Promise<ServerPower[]> {
    return this.read(ctx, 'nodePower', this.hardware.serverPower(filter ?? {}, scope));
  }

  private async read<T>(
    ctx: PartialErrorsContext,
    field: string,
    pending: Promise<{ items: readonly T[]; failures: Parameters<typeof reportClusterFailures>[1] }>,
  ): Promise<T[]> {
    const { items, failures } = await pending;
    reportClusterFailures(ctx, failures, [field]);
    return [...items];
  }
}
