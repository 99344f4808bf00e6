import { Field, Float, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'A virtual machine (not served yet: needs a VM power source)' })
export class Vm {
  @Field() name!: string;
  @Field() cluster!: string;
  @Field(() => Float, { nullable: true }) powerWatts?: number;
}
