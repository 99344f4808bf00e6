import { Field, InputType } from '@nestjs/graphql';
import { IsEnum, IsOptional, IsString, MaxLength } from 'class-validator';
import { IpmiSensorType } from '../models/ipmi-sensor.model';

@InputType()
export class HardwareFilterInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(253)
  cluster?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(253)
  node?: string;
}

@InputType()
export class IpmiSensorFilterInput extends HardwareFilterInput {
  @Field(() => IpmiSensorType, { nullable: true })
  @IsOptional()
  @IsEnum(IpmiSensorType)
  type?: IpmiSensorType;
}
