import { Field, Float, ObjectType, registerEnumType } from '@nestjs/graphql';

/** Which measurement `powerWatts` of a node comes from, best first. */
export enum NodePowerSource {
  IPMI_DCMI = 'IPMI_DCMI',
  KEPLER_PLATFORM = 'KEPLER_PLATFORM',
  KEPLER_COMPONENTS = 'KEPLER_COMPONENTS',
  NONE = 'NONE',
}
registerEnumType(NodePowerSource, {
  name: 'NodePowerSource',
  description:
    'IPMI_DCMI: the BMC (server input); KEPLER_PLATFORM: Kepler platform/Redfish; KEPLER_COMPONENTS: CPU + DRAM + accelerators only',
});

@ObjectType({
  description: 'A node’s power by component, watts. Zones overlap: cpuCoreWatts is part of cpuWatts.',
})
export class NodePowerBreakdown {
  @Field(() => Float, { nullable: true, description: 'CPU package (RAPL package zone), watts' })
  cpuWatts?: number;
  @Field(() => Float, {
    nullable: true,
    description: 'CPU cores (RAPL core zone, part of the package), watts',
  })
  cpuCoreWatts?: number;
  @Field(() => Float, { nullable: true, description: 'DRAM, watts' }) dramWatts?: number;
  @Field(() => Float, { nullable: true, description: 'GPUs (Kepler, else dcgm-exporter board power), watts' })
  gpuWatts?: number;
  @Field(() => Float, { nullable: true, description: 'NPUs (vendor exporters’ board power), watts' })
  npuWatts?: number;
  @Field(() => Float, {
    nullable: true,
    description:
      'Everything else the server draws (fans, NICs, disks, PSU loss): whole-server − CPU − DRAM − accelerators, watts',
  })
  otherWatts?: number;
  @Field(() => Float, {
    nullable: true,
    description: 'Whole server as Kepler reads it (platform/Redfish), watts',
  })
  platformWatts?: number;
  @Field(() => Float, { nullable: true, description: 'Server input power from the BMC (IPMI DCMI), watts' })
  serverInputWatts?: number;
}
