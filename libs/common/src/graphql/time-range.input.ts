import { Field, InputType, Int } from '@nestjs/graphql';

/** A range query window; `step` in seconds. Bounds are checked by the service that knows its point cap. */
@InputType()
export class TimeRangeInput {
  @Field(() => Date) from!: Date;
  @Field(() => Date) to!: Date;
  @Field(() => Int, { nullable: true, description: 'seconds between points' }) stepSeconds?: number;
}
