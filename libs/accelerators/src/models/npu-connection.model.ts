import { ObjectType } from '@nestjs/graphql';
import { ConnectionType } from '@kcloud/common';
import { Npu } from './npu.model';

@ObjectType()
export class NpuConnection extends ConnectionType(Npu) {}
