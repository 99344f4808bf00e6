import { Field, Float, ObjectType } from '@nestjs/graphql';

@ObjectType({
  description:
    'A count of one Kubernetes resource, named as kube-state-metrics sanitises it (nvidia_com_gpu)',
})
export class ResourceCount {
  @Field() resource!: string;
  @Field(() => Float) count!: number;
}
