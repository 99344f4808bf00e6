import { Field, Float, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ClusterLabel } from './cluster-label.model';

export enum ClusterState {
  UP = 'UP',
  DOWN = 'DOWN',
  UNKNOWN = 'UNKNOWN',
}
registerEnumType(ClusterState, {
  name: 'ClusterState',
  description: 'Health of a cluster’s Prometheus as last probed',
});

export enum CircuitState {
  CLOSED = 'CLOSED',
  OPEN = 'OPEN',
  HALF_OPEN = 'HALF_OPEN',
}
registerEnumType(CircuitState, {
  name: 'CircuitState',
  description:
    'The cluster’s circuit breaker: OPEN after repeated failures (its queries fail at once with CLUSTER_UNAVAILABLE), HALF_OPEN while a probe tests it, CLOSED otherwise',
});

@ObjectType({ description: 'A monitored cluster: its Prometheus health and what it holds' })
export class Cluster {
  @Field() name!: string;
  @Field(() => [ClusterLabel], {
    description: 'PROMETHEUS_CLUSTERS labels (e.g. platform, datacenter), sorted by name; empty when none',
  })
  labels!: ClusterLabel[];
  @Field(() => ClusterState) status!: ClusterState;
  @Field(() => CircuitState, { description: 'CLOSED for the simulated fleet, which has no breaker' })
  circuit!: CircuitState;
  @Field(() => Float, {
    nullable: true,
    description: 'Latency of the last successful probe or query, milliseconds',
  })
  latencyMs?: number;
  @Field(() => Date, { nullable: true, description: 'When a query to this cluster last succeeded' })
  lastSuccessAt?: Date;
  @Field(() => String, { nullable: true }) error?: string;
  @Field(() => Int, {
    nullable: true,
    description: 'Physical GPUs reporting (MIG instances count once); null if unknown',
  })
  gpuCount?: number;
  @Field(() => Int, { nullable: true, description: 'NPU cards the device plugins advertise' })
  npuCount?: number;
  @Field(() => Int, { nullable: true, description: 'Nodes known to kube-state-metrics' }) nodeCount?: number;
}

@ObjectType({ description: 'What a cluster holds and draws now' })
export class ClusterSummary {
  @Field(() => Int) nodeCount!: number;
  @Field(() => Int) gpuCount!: number;
  @Field(() => Int, { description: 'GPUs and MIG slices schedulable now' }) gpuAllocatable!: number;
  @Field(() => Int) npuCount!: number;
  @Field(() => Int) podCount!: number;
  @Field(() => Float, { description: 'Total power, watts' }) powerWatts!: number;
}
