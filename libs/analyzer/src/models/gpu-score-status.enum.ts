import { registerEnumType } from '@nestjs/graphql';

/** GraphQL names in capitals; the values are the lower-case status labels of the exported metrics. */
export enum GpuScoreStatus {
  IDLE = 'idle',
  LOW = 'low',
  NORMAL = 'normal',
  HIGH = 'high',
  UNKNOWN = 'unknown',
}
registerEnumType(GpuScoreStatus, {
  name: 'GpuScoreStatus',
  description:
    'idle < 10 ≤ low < 20 ≤ normal < 70 ≤ high (configurable); UNKNOWN when the data cannot be trusted',
});
