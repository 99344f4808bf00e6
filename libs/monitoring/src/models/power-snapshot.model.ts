import { Field, Float, Int, ObjectType } from '@nestjs/graphql';
import { PowerGroupBy } from './power-group-by.enum';
import { PowerGroup } from './power-summary.model';

@ObjectType({
  description: 'One pushed power snapshot; every subscriber of the same stream gets the same sequence',
})
export class PowerSnapshot {
  @Field(() => Int, { description: 'Increases by one per computed snapshot of this stream' })
  sequence!: number;
  @Field(() => String, { nullable: true }) cluster?: string;
  @Field(() => PowerGroupBy) groupBy!: PowerGroupBy;
  @Field(() => Int) intervalSeconds!: number;
  @Field(() => Float, { description: 'watts' }) totalWatts!: number;
  @Field(() => [PowerGroup]) groups!: PowerGroup[];
  @Field(() => [String], { description: 'Clusters that did not answer for this snapshot' })
  unavailableClusters!: string[];
  @Field(() => Date) observedAt!: Date;
}
