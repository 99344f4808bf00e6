import { Field, InputType } from '@nestjs/graphql';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { ClusterLabelMatchInput, ClusterLabelsFilter } from '@kcloud/common';

@InputType()
export class PowerFilterInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(253)
  cluster?: string;

  @ClusterLabelsFilter() clusterLabels?: ClusterLabelMatchInput[];

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(253)
  node?: string;

  @Field(() => String, { nullable: true, description: 'Only power attributed to this namespace’s pods' })
  @IsOptional()
  @IsString()
  @MaxLength(253)
  namespace?: string;
}
