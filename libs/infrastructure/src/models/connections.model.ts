import { ObjectType } from '@nestjs/graphql';
import { ConnectionType } from '@kcloud/common';
import { Container } from './container.model';
import { Node } from './node.model';
import { Pod } from './pod.model';

@ObjectType()
export class NodeConnection extends ConnectionType(Node) {}

@ObjectType()
export class PodConnection extends ConnectionType(Pod) {}

@ObjectType()
export class ContainerConnection extends ConnectionType(Container) {}
