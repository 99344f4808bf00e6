import { Field, InputType } from '@nestjs/graphql';
import { IsEnum, IsOptional } from 'class-validator';
import { AcceleratorKind } from '../models/accelerator.model';
import { NpuFilterInput } from './npu-filter.input';

/** Device filters for both kinds; `vendor` also matches GPUs (nvidia, apple, …). */
@InputType()
export class AcceleratorFilterInput extends NpuFilterInput {
  @Field(() => AcceleratorKind, { nullable: true })
  @IsOptional()
  @IsEnum(AcceleratorKind)
  kind?: AcceleratorKind;
}
