import { Args, Query, Resolver } from '@nestjs/graphql';
import {
  badInput,
  CurrentField,
  CurrentScope,
  reportFailuresAt,
  type ResponseField,
  type TenantScope,
  UpstreamRead,
} from '@kcloud/common';
import { groupsOf } from './breakdown';
import { ClusterLabelResolution } from '@kcloud/metrics-source';
import { ClusterRegistry } from '@kcloud/prometheus';
import { groupByClusterLabel } from './cluster-label-groups';
import { PowerArgs, PowerBreakdownNowArgs, PowerRangeArgs } from './dto/power.args';
import { PowerGroupBy } from './models/power-group-by.enum';
import { JOULES_PER_KWH } from './history';
import { Energy, PowerTimeseries } from './models/power-series.model';
import { PowerGroup, PowerSummary } from './models/power-summary.model';
import { Pue } from './models/pue.model';
import { PowerHistoryService } from './power-history.service';
import { toPowerSummary } from './power-view';
import { PowerService } from './power.service';
import { PueService } from './pue.service';

@Resolver()
export class PowerResolver {
  constructor(
    private readonly power: PowerService,
    private readonly pueService: PueService,
    private readonly history: PowerHistoryService,
    private readonly registry: ClusterRegistry,
    private readonly labels: ClusterLabelResolution,
  ) {}

  @UpstreamRead()
  @Query(() => PowerSummary, {
    name: 'power',
    description: 'Unified power now: total and by cluster, node, namespace and resource type',
  })
  async powerNow(
    @Args() args: PowerArgs,
    @CurrentField() field: ResponseField,
    @CurrentScope() scope: TenantScope,
  ): Promise<PowerSummary> {
    const now = await this.power.power(this.labels.resolve(args.filter ?? {}), scope);
    reportFailuresAt(field, now.failures);
    return toPowerSummary(now);
  }

  @UpstreamRead()
  @Query(() => [PowerGroup], { description: 'Power now, grouped one way' })
  async powerBreakdown(
    @Args() args: PowerBreakdownNowArgs,
    @CurrentField() field: ResponseField,
    @CurrentScope() scope: TenantScope,
  ): Promise<PowerGroup[]> {
    if (args.clusterLabel !== undefined && args.groupBy !== PowerGroupBy.CLUSTER)
      throw badInput('clusterLabel', 'clusterLabel groups clusters: use it with groupBy: CLUSTER');
    const { breakdown, failures } = await this.power.power(this.labels.resolve(args.filter ?? {}), scope);
    reportFailuresAt(field, failures);
    if (args.clusterLabel !== undefined)
      return groupByClusterLabel(breakdown.byCluster, args.clusterLabel, (c) => this.registry.labels(c));
    return groupsOf(breakdown, args.groupBy).map((g) => ({ ...g }));
  }

  @UpstreamRead()
  @Query(() => Pue, {
    description: 'PUE of one cluster; value is null with a reason when no facility source is configured',
  })
  async pue(
    @Args('cluster') cluster: string,
    @CurrentField() field: ResponseField,
    @CurrentScope() scope: TenantScope,
  ): Promise<Pue> {
    const { pue, failures } = await this.pueService.pue(cluster, scope);
    reportFailuresAt(field, failures);
    return pue;
  }

  @UpstreamRead({ rangeArg: 'range' })
  @Query(() => PowerTimeseries, {
    description: 'Power over time per group (range query; at most 11,000 points per series)',
  })
  async powerTimeseries(
    @Args() args: PowerRangeArgs,
    @CurrentField() field: ResponseField,
    @CurrentScope() scope: TenantScope,
  ): Promise<PowerTimeseries> {
    const { range, series, failures } = await this.history.timeseries(
      args.range,
      args.groupBy,
      this.labels.resolve(args.filter ?? {}),
      scope,
    );
    reportFailuresAt(field, failures);
    return {
      groupBy: args.groupBy,
      ...range,
      series: series.map((s) => ({
        key: s.key,
        cluster: s.cluster,
        points: s.points.map((p) => ({ timestamp: new Date(p.timestampMs), watts: p.watts })),
      })),
    };
  }

  @UpstreamRead({ rangeArg: 'range' })
  @Query(() => Energy, {
    description: 'Energy used between range.from and range.to, in joules and kWh (stepSeconds is ignored)',
  })
  async energy(
    @Args() args: PowerRangeArgs,
    @CurrentField() field: ResponseField,
    @CurrentScope() scope: TenantScope,
  ): Promise<Energy> {
    const { range, groups, failures } = await this.history.energy(
      args.range,
      args.groupBy,
      this.labels.resolve(args.filter ?? {}),
      scope,
    );
    reportFailuresAt(field, failures);
    const total = groups.reduce((sum, g) => sum + g.watts, 0);
    return {
      groupBy: args.groupBy,
      from: range.from,
      to: range.to,
      totalEnergyJoules: total,
      totalEnergyKilowattHours: total / JOULES_PER_KWH,
      groups: groups.map((g) => ({
        key: g.key,
        cluster: g.cluster,
        energyJoules: g.watts,
        energyKilowattHours: g.watts / JOULES_PER_KWH,
      })),
    };
  }
}
