import { Field, Float, Int, ObjectType } from '@nestjs/graphql';
import { PowerGroupBy } from './power-group-by.enum';

@ObjectType()
export class PowerPoint {
  @Field(() => Date) timestamp!: Date;
  @Field(() => Float) watts!: number;
}

@ObjectType()
export class PowerSeries {
  @Field() key!: string;
  @Field(() => String, { nullable: true }) cluster?: string;
  @Field(() => [PowerPoint]) points!: PowerPoint[];
}

@ObjectType({ description: 'Power over time per group (Prometheus range queries)' })
export class PowerTimeseries {
  @Field(() => PowerGroupBy) groupBy!: PowerGroupBy;
  @Field(() => Date) from!: Date;
  @Field(() => Date) to!: Date;
  @Field(() => Int) stepSeconds!: number;
  @Field(() => [PowerSeries]) series!: PowerSeries[];
}

@ObjectType()
export class EnergyGroup {
  @Field() key!: string;
  @Field(() => String, { nullable: true }) cluster?: string;
  @Field(() => Float, { description: 'joules' }) energyJoules!: number;
  @Field(() => Float, { description: 'kilowatt-hours (1 kWh = 3.6 MJ)' }) energyKilowattHours!: number;
}

@ObjectType({ description: 'Energy used between from and to' })
export class Energy {
  @Field(() => PowerGroupBy) groupBy!: PowerGroupBy;
  @Field(() => Date) from!: Date;
  @Field(() => Date) to!: Date;
  @Field(() => Float, { description: 'joules' }) totalEnergyJoules!: number;
  @Field(() => Float, { description: 'kilowatt-hours' }) totalEnergyKilowattHours!: number;
  @Field(() => [EnergyGroup]) groups!: EnergyGroup[];
}
