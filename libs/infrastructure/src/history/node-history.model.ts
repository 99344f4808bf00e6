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
  MEMORY_TOTAL_BYTES = 'memoryTotalBytes',
  MEMORY_AVAILABLE_BYTES = 'memoryAvailableBytes',
  LOAD1 = 'load1',
  LOAD5 = 'load5',
  LOAD15 = 'load15',
  ROOT_FILESYSTEM_USED_PERCENT = 'rootFilesystemUsedPercent',
  NETWORK_RECEIVE_BYTES_PER_SECOND = 'networkReceiveBytesPerSecond',
  NETWORK_TRANSMIT_BYTES_PER_SECOND = 'networkTransmitBytesPerSecond',
}

/** The metrics read from node_exporter rather than from power exporters (each the HostSeriesPoint field of its name). */
export const HOST_HISTORY_METRICS = [
  NodeHistoryMetric.MEMORY_UTILIZATION_PERCENT,
  NodeHistoryMetric.CPU_UTILIZATION_PERCENT,
  NodeHistoryMetric.MEMORY_TOTAL_BYTES,
  NodeHistoryMetric.MEMORY_AVAILABLE_BYTES,
  NodeHistoryMetric.LOAD1,
  NodeHistoryMetric.LOAD5,
  NodeHistoryMetric.LOAD15,
  NodeHistoryMetric.ROOT_FILESYSTEM_USED_PERCENT,
  NodeHistoryMetric.NETWORK_RECEIVE_BYTES_PER_SECOND,
  NodeHistoryMetric.NETWORK_TRANSMIT_BYTES_PER_SECOND,
] as const;

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
  fields.some((f) => (HOST_HISTORY_METRICS as readonly string[]).includes(f));

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
  @Field(() => Float, { nullable: true, description: 'node_memory_MemTotal_bytes, bytes' })
  memoryTotalBytes?: number;
  @Field(() => Float, { nullable: true, description: 'node_memory_MemAvailable_bytes, bytes' })
  memoryAvailableBytes?: number;
  @Field(() => Float, { nullable: true, description: 'node_load1: 1-minute load average' }) load1?: number;
  @Field(() => Float, { nullable: true, description: 'node_load5: 5-minute load average' }) load5?: number;
  @Field(() => Float, { nullable: true, description: 'node_load15: 15-minute load average' }) load15?: number;
  @Field(() => Float, {
    nullable: true,
    description: 'Root filesystem use, 0–100: (size − avail) / size of the filesystem mounted at / (as Node)',
  })
  rootFilesystemUsedPercent?: number;
  @Field(() => Float, {
    nullable: true,
    description: 'Bytes/s received over the rate window, summed over physical interfaces (as Node)',
  })
  networkReceiveBytesPerSecond?: number;
  @Field(() => Float, {
    nullable: true,
    description: 'Bytes/s transmitted over the rate window, summed over physical interfaces (as Node)',
  })
  networkTransmitBytesPerSecond?: number;
}
