import type { Type } from '@nestjs/common';
import { ObjectType } from '@nestjs/graphql';
import { ConnectionType } from '@kcloud/common';
import { Accelerator } from './accelerator.model';

/** Edges hold the interface type; ConnectionType wants a constructible class, which an interface class is not. */
@ObjectType()
export class AcceleratorConnection extends ConnectionType(Accelerator as unknown as Type<Accelerator>) {}
