import { ObjectType } from '@nestjs/graphql';
import { ConnectionType } from '@kcloud/common';
import { Gpu } from './gpu.model';

@ObjectType()
export class GpuConnection extends ConnectionType(Gpu) {}
