import { Field, Float, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'One logical CPU of a node as node_exporter reports it' })
export class CpuCore {
  @Field(() => Int, { description: 'node_exporter’s cpu label (logical CPU number)' }) cpu!: number;
  @Field(() => Float, { description: 'Busy share over the rate window (1 − idle), 0–100' })
  utilizationPercent!: number;
}
