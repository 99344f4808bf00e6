export * from './infrastructure.module';
export * from './infrastructure.service';
export * from './models/node.model';
export * from './models/node-power.model';
export * from './models/pod.model';
export * from './models/resource-count.model';
