import { registerEnumType } from '@nestjs/graphql';

/** GraphQL names in capitals; the values are the lower-case status labels of the exported metrics. */
export enum GpuScoreStatus {
  IDLE = 'idle',
  LOW = 'low',
  NORMAL = 'normal',
  HIGH = 'high',
  UNKNOWN = 'unknown',
  UNALLOCATED = 'unallocated',
}
registerEnumType(GpuScoreStatus, {
  name: 'GpuScoreStatus',
  description:
    'idle < 10 ≤ low < 20 ≤ normal < 70 ≤ high (configurable); UNKNOWN when the data cannot be trusted; ' +
    'UNALLOCATED: listed, not scored (ANALYZER_ALLOCATED_ONLY and no pod holds the GPU)',
});
