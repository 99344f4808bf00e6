import { ObjectType } from '@nestjs/graphql';
import { ConnectionType } from '@kcloud/common';
import { GpuScore } from './gpu-score.model';

@ObjectType()
export class GpuScoreConnection extends ConnectionType(GpuScore) {}
