import { Field, Float, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum GpuHistoryMetric {
  UTILIZATION_PERCENT = 'utilizationPercent',
  MEMORY_COPY_UTILIZATION_PERCENT = 'memoryCopyUtilizationPercent',
  MEMORY_USED_MIB = 'memoryUsedMiB',
  POWER_WATTS = 'powerWatts',
  TEMPERATURE_CELSIUS = 'temperatureCelsius',
  SM_CLOCK_MHZ = 'smClockMHz',
  MEMORY_CLOCK_MHZ = 'memoryClockMHz',
  SCORE = 'score',
  STATUS = 'status',
}

registerEnumType(GpuHistoryMetric, {
  name: 'GpuHistoryMetric',
  description: 'A reading GpuHistoryPoint can carry (the point field of the same name)',
});

@ObjectType({
  description:
    'A GPU at one step timestamp: the readings asked for, each null where Prometheus had none or the reading ' +
    'was refused (a DCGM blank, NaN, impossible) — every step timestamp of the range has a point',
})
export class GpuHistoryPoint {
  @Field(() => Date) timestamp!: Date;
  @Field(() => Float, { nullable: true, description: 'GPU utilisation, 0–100' }) utilizationPercent?: number;
  @Field(() => Float, { nullable: true, description: 'Memory copy utilisation, 0–100' })
  memoryCopyUtilizationPercent?: number;
  @Field(() => Float, { nullable: true }) memoryUsedMiB?: number;
  @Field(() => Float, { nullable: true, description: 'Board power' }) powerWatts?: number;
  @Field(() => Float, { nullable: true }) temperatureCelsius?: number;
  @Field(() => Float, { nullable: true }) smClockMHz?: number;
  @Field(() => Float, { nullable: true }) memoryClockMHz?: number;
  @Field(() => Float, {
    nullable: true,
    description:
      "The analyzer's utilisation score 0–100 at this step (its exported gpu_utilization_score series); null where " +
      'none was exported (analyzer off, status unknown, GPU not analysed then)',
  })
  score?: number;
  @Field(() => String, {
    nullable: true,
    description:
      "The analyzer's status at this step: the status label (idle, low, normal, high) of the score series present; " +
      'null where there was none',
  })
  status?: string;
}
