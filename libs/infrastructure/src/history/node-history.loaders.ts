import { Injectable } from '@nestjs/common';
import { HistoryLoaders, type HistoryRequest } from '@kcloud/accelerators';
import { asksHost, type NodeHistoryField } from './node-history.model';
import { type NodeHistoryDevice, NodeHistoryService } from './node-history.service';

export type NodeHistoryRef = HistoryRequest<NodeHistoryField> & NodeHistoryDevice;

/** Per-request loader for `Node.history`: the nodes of one request asking one range are one node-power range read. */
@Injectable()
export class NodeHistoryLoaders extends HistoryLoaders<NodeHistoryRef, NodeHistoryField, number | string> {
  constructor(history: NodeHistoryService) {
    super('nodes', (nodes, range, scope) =>
      history.series(
        nodes,
        range,
        scope,
        nodes.some((n) => asksHost(n.fields)),
      ),
    );
  }
}
