import { ObjectType } from '@nestjs/graphql';
import { ConnectionType } from '@kcloud/common';
import { GpuProcess } from './gpu-process.model';

@ObjectType()
export class GpuProcessConnection extends ConnectionType(GpuProcess) {}
