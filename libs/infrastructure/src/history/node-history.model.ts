import { Field, Float, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum NodeHistoryMetric {
  NODE_POWER_WATTS = 'nodePowerWatts',
  SERVER_INPUT_WATTS = 'serverInputWatts',
  PLATFORM_WATTS = 'platformWatts',
  CPU_PACKAGE_WATTS = 'cpuPackageWatts',
  DRAM_WATTS = 'dramWatts',
  GPU_WATTS = 'gpuWatts',
  NPU_WATTS = 'npuWatts',
  OTHER_WATTS = 'otherWatts',
  MEMORY_UTILIZATION_PERCENT = 'memoryUtilizationPercent',
  CPU_UTILIZATION_PERCENT = 'cpuUtilizationPercent',
}

/** The metrics read from node_exporter rather than from power exporters. */
export const HOST_HISTORY_METRICS: readonly string[] = [
  NodeHistoryMetric.MEMORY_UTILIZATION_PERCENT,
  NodeHistoryMetric.CPU_UTILIZATION_PERCENT,
];

registerEnumType(NodeHistoryMetric, {
  name: 'NodeHistoryMetric',
  description: 'A reading NodeHistoryPoint can carry (NODE_POWER_WATTS also fills nodePowerSource)',
});

export const NODE_HISTORY_FIELDS = Object.values(NodeHistoryMetric);
/** The point fields a history read fills: the metrics, and the whole-node power's source beside it. */
export type NodeHistoryField = NodeHistoryMetric | 'nodePowerSource';

/** The point fields for the metrics asked (all when none): nodePowerSource rides along with NODE_POWER_WATTS. */
export function nodeHistoryFields(
  metrics: readonly NodeHistoryMetric[] | undefined,
): readonly NodeHistoryField[] {
  const fields = metrics?.length
    ? NODE_HISTORY_FIELDS.filter((f) => metrics.includes(f))
    : NODE_HISTORY_FIELDS;
  return fields.includes(NodeHistoryMetric.NODE_POWER_WATTS) ? [...fields, 'nodePowerSource'] : fields;
}

/** Whether fields name a node_exporter reading (then node_exporter is read too). */
export const asksHost = (fields: readonly string[]): boolean =>
  fields.some((f) => HOST_HISTORY_METRICS.includes(f));

@ObjectType({
  description:
    'A node at one step timestamp: the power and host readings asked for, each null where no exporter reported it then',
})
export class NodeHistoryPoint {
  @Field(() => Date) timestamp!: Date;
  @Field(() => Float, {
    nullable: true,
    description:
      "The node's whole power by the shared rule: IPMI DCMI server input, else Kepler's platform reading, else its components",
  })
  nodePowerWatts?: number;
  @Field(() => String, {
    nullable: true,
    description: 'Where nodePowerWatts came from: ipmi_dcmi, kepler_platform or kepler_components',
  })
  nodePowerSource?: string;
  @Field(() => Float, { nullable: true, description: 'BMC server input power (IPMI DCMI)' })
  serverInputWatts?: number;
  @Field(() => Float, { nullable: true, description: 'Kepler platform power' }) platformWatts?: number;
  @Field(() => Float, { nullable: true }) cpuPackageWatts?: number;
  @Field(() => Float, { nullable: true }) dramWatts?: number;
  @Field(() => Float, { nullable: true }) gpuWatts?: number;
  @Field(() => Float, { nullable: true }) npuWatts?: number;
  @Field(() => Float, { nullable: true }) otherWatts?: number;
  @Field(() => Float, {
    nullable: true,
    description: 'System memory used, 0–100: (MemTotal − MemAvailable) / MemTotal from node_exporter',
  })
  memoryUtilizationPercent?: number;
  @Field(() => Float, {
    nullable: true,
    description:
      'Mean busy share of the logical CPUs, 0–100 (1 − rate(idle) over POWER_RATE_WINDOW_SECONDS), node_exporter',
  })
  cpuUtilizationPercent?: number;
}
