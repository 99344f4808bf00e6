import { Field, Float, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum DataSource {
  PROMETHEUS = 'prometheus',
  SIMULATED = 'simulated',
}
registerEnumType(DataSource, {
  name: 'DataSource',
  description: 'Which MetricSource adapter serves the data',
});

export enum ClusterStatus {
  UP = 'up',
  DOWN = 'down',
  UNKNOWN = 'unknown',
}
registerEnumType(ClusterStatus, { name: 'ClusterStatus' });

@ObjectType()
export class ClusterHealthInfo {
  @Field() name!: string;
  @Field(() => ClusterStatus) status!: ClusterStatus;
  @Field(() => Float, { nullable: true }) latencyMs?: number;
  @Field(() => Date, { nullable: true }) lastSuccessAt?: Date;
  @Field(() => String, { nullable: true }) error?: string;
}

@ObjectType()
export class SystemInfo {
  @Field() version!: string;
  @Field(() => DataSource) dataSource!: DataSource;
  @Field(() => [ClusterHealthInfo]) clusters!: ClusterHealthInfo[];
}
