import { Field, InputType } from '@nestjs/graphql';
import { IsEnum, IsOptional } from 'class-validator';
import { ClusterSelectionFilterInput, FilterText } from '@kcloud/common';
import { IpmiSensorType } from '../models/ipmi-sensor.model';

@InputType()
export class HardwareFilterInput extends ClusterSelectionFilterInput {
  @FilterText() node?: string;
}

@InputType()
export class IpmiSensorFilterInput extends HardwareFilterInput {
  @Field(() => IpmiSensorType, { nullable: true })
  @IsOptional()
  @IsEnum(IpmiSensorType)
  type?: IpmiSensorType;
}
