import { Field, InputType } from '@nestjs/graphql';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { DeviceFilterInput } from './gpu-filter.input';

/** The GPU filters (cluster, node, namespace, pod, model, uuid) plus the card vendor. */
@InputType()
export class NpuFilterInput extends DeviceFilterInput {
  @Field(() => String, {
    nullable: true,
    description: 'furiosa, rebellions, or a maker all-smi names: google, tenstorrent, aws, intel, unknown',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  vendor?: string;
}
