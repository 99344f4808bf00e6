import { registerEnumType } from '@nestjs/graphql';

export enum PowerGroupBy {
  CLUSTER = 'CLUSTER',
  NODE = 'NODE',
  NAMESPACE = 'NAMESPACE',
  RESOURCE_TYPE = 'RESOURCE_TYPE',
}
registerEnumType(PowerGroupBy, {
  name: 'PowerGroupBy',
  description: 'RESOURCE_TYPE keys: CPU, DRAM, GPU, NPU, OTHER (server power no component accounts for)',
});
