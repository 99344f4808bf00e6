import { Args, Query, Resolver } from '@nestjs/graphql';
import {
  CurrentField,
  CurrentScope,
  pagedList,
  reportFailuresAt,
  type ResponseField,
  type TenantScope,
  UpstreamRead,
} from '@kcloud/common';
import { historyRange } from '@kcloud/accelerators';
import { ClusterLabelResolution } from '@kcloud/metrics-source';
import { DeviceHistoryArgs } from './device-history.args';
import { DeviceSeries, DeviceSeriesConnection } from './device-history.model';
import { DeviceHistoryService } from './device-history.service';

@Resolver(() => DeviceSeries)
export class DeviceHistoryResolver {
  constructor(
    private readonly history: DeviceHistoryService,
    private readonly labels: ClusterLabelResolution,
  ) {}

  @UpstreamRead({ rangeArg: 'range' })
  @Query(() => DeviceSeriesConnection, {
    description:
      'History of many devices in one query: the GPUs, NPUs and/or nodes the filter selects now (default GPU and ' +
      'NPU), paged, each with its points from range.from to range.to — one batched range read per kind for the ' +
      'whole page, as Gpu.history / Npu.history / Node.history. Step as Gpu.history; devices × points at most ' +
      '250,000 per page (BAD_USER_INPUT above). Failed clusters add CLUSTER_UNAVAILABLE errors',
  })
  async deviceHistory(
    @Args() args: DeviceHistoryArgs,
    @CurrentField() field: ResponseField,
    @CurrentScope() scope: TenantScope,
  ): Promise<DeviceSeriesConnection> {
    const range = historyRange(args.range.from, args.range.to, args.stepSeconds ?? args.range.stepSeconds);
    const page = pagedList(
      field,
      await this.history.devices(this.labels.resolve(args.filter ?? {}), scope),
      args,
    );
    const { series, failures } = await this.history.series(
      page.edges.map((e) => e.node),
      range,
      args.metrics ?? {},
      scope,
    );
    reportFailuresAt(field, failures);
    return { ...page, edges: page.edges.map((e, i) => ({ cursor: e.cursor, node: series[i]! })) };
  }
}
