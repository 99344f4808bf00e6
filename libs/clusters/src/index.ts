export * from './clusters.module';
export * from './clusters.service';
export * from './models/cluster.model';
export * from './models/topology.model';
