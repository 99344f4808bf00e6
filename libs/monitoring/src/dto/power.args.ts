import { IsEnum, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { ArgsType, Field, Int } from '@nestjs/graphql';
import {
  CLUSTER_LABEL_NAME_PATTERN,
  type ClusterLabelMatchInput,
  ClusterLabelsFilter,
  FilterText,
  NestedInput,
  TimeRangeInput,
} from '@kcloud/common';
import { PowerGroupBy } from '../models/power-group-by.enum';
import { DEFAULT_INTERVAL_SECONDS } from '../stream/power-stream.hub';
import { PowerFilterInput } from './power-filter.input';

@ArgsType()
export class PowerArgs {
  @NestedInput(() => PowerFilterInput)
  filter?: PowerFilterInput;
}

@ArgsType()
export class PowerBreakdownArgs extends PowerArgs {
  @Field(() => PowerGroupBy)
  @IsEnum(PowerGroupBy)
  groupBy!: PowerGroupBy;
}

@ArgsType()
export class PowerBreakdownNowArgs extends PowerBreakdownArgs {
  @Field(() => String, {
    nullable: true,
    description:
      'With groupBy CLUSTER: group clusters by this PROMETHEUS_CLUSTERS label (e.g. datacenter) instead; clusters ' +
      'without it are under the empty key',
  })
  @IsOptional()
  @Matches(CLUSTER_LABEL_NAME_PATTERN, {
    message: 'clusterLabel must be a label name ([a-zA-Z_][a-zA-Z0-9_]*)',
  })
  clusterLabel?: string;
}

@ArgsType()
export class PowerRangeArgs extends PowerBreakdownArgs {
  @NestedInput(() => TimeRangeInput, {
    required: true,
    description: 'from, to and stepSeconds (at most 11,000 points per series)',
  })
  range!: TimeRangeInput;
}

@ArgsType()
export class PowerUpdatedArgs {
  @FilterText({ description: 'One cluster; all clusters in scope when omitted' }) cluster?: string;

  /** Resolved once, when the subscription starts (a cluster registered later is not added to an open stream). */
  @ClusterLabelsFilter() clusterLabels?: ClusterLabelMatchInput[];

  @Field(() => PowerGroupBy, { defaultValue: PowerGroupBy.CLUSTER })
  @IsEnum(PowerGroupBy)
  groupBy!: PowerGroupBy;

  @Field(() => Int, {
    defaultValue: DEFAULT_INTERVAL_SECONDS,
    description: 'seconds between snapshots, 1–300',
  })
  @IsInt()
  @Min(1)
  @Max(300)
  intervalSeconds!: number;
}
