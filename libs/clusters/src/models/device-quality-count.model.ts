import { Field, Int, ObjectType } from '@nestjs/graphql';
import { DataQualityStatus } from '@kcloud/accelerators';

@ObjectType({
  description: 'How many devices (GPUs, MIG instances, NPUs) of a cluster have data in one quality state',
})
export class DeviceQualityCount {
  @Field(() => DataQualityStatus) status!: DataQualityStatus;
  @Field(() => Int) count!: number;
}
