import { Type } from 'class-transformer';
import { ArrayMaxSize, IsOptional, ValidateNested } from 'class-validator';
import { Field, InputType } from '@nestjs/graphql';
import { ClusterLabelInput } from './register-cluster.input';

@InputType()
export class ClusterFilterInput {
  @Field(() => [ClusterLabelInput], {
    nullable: true,
    description: 'Only clusters carrying every one of these labels with exactly this value',
  })
  @IsOptional()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => ClusterLabelInput)
  labels?: ClusterLabelInput[];
}
