import { Field, Float, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum PueMethod {
  MEASURED = 'MEASURED',
  OVERHEAD_FACTOR = 'OVERHEAD_FACTOR',
  NONE = 'NONE',
}
registerEnumType(PueMethod, {
  name: 'PueMethod',
  description:
    'MEASURED: facility power from a meter/PromQL source; OVERHEAD_FACTOR: IT power × a configured factor; NONE: no facility source',
});

export enum ItPowerSource {
  IPMI_DCMI = 'IPMI_DCMI',
  KEPLER_PLATFORM = 'KEPLER_PLATFORM',
  MIXED = 'MIXED',
  NONE = 'NONE',
}
registerEnumType(ItPowerSource, {
  name: 'ItPowerSource',
  description: 'Where the servers’ input power comes from',
});

@ObjectType({
  description:
    'Power usage effectiveness = facility power / IT power; null with a reason when not measurable',
})
export class Pue {
  @Field() cluster!: string;
  @Field(() => Float, { nullable: true }) value!: number | null;
  @Field(() => Float, {
    nullable: true,
    description: 'Σ server input power (DCMI, else Kepler platform), watts',
  })
  itPowerWatts!: number | null;
  @Field(() => Float, { nullable: true, description: 'Facility power, watts' }) facilityPowerWatts!:
    | number
    | null;
  @Field(() => Float, {
    nullable: true,
    description:
      'Server input − CPU − DRAM − accelerators, watts (what the seed reported as "PUE"; not facility overhead)',
  })
  unattributedWatts!: number | null;
  @Field(() => PueMethod) method!: PueMethod;
  @Field(() => ItPowerSource) itPowerSource!: ItPowerSource;
  @Field(() => String, {
    nullable: true,
    description: 'The facility source used, e.g. the PromQL expression',
  })
  facilitySource!: string | null;
  @Field(() => Int) nodeCount!: number;
  @Field(() => String, { nullable: true, description: 'Why value is null, or how it was estimated' })
  reason!: string | null;
  @Field(() => Date) observedAt!: Date;
}
