import { Field, Float, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum NpuHistoryMetric {
  UTILIZATION_PERCENT = 'utilizationPercent',
  MEMORY_USED_MIB = 'memoryUsedMiB',
  POWER_WATTS = 'powerWatts',
  TEMPERATURE_CELSIUS = 'temperatureCelsius',
  AMBIENT_TEMPERATURE_CELSIUS = 'ambientTemperatureCelsius',
}

registerEnumType(NpuHistoryMetric, {
  name: 'NpuHistoryMetric',
  description: 'A reading NpuHistoryPoint can carry (the point field of the same name)',
});

/** The readings an NPU history point can carry, in field order. */
export const NPU_HISTORY_FIELDS = Object.values(NpuHistoryMetric);
export type NpuHistoryField = (typeof NPU_HISTORY_FIELDS)[number];

@ObjectType({
  description:
    'An NPU card at one step timestamp: the readings asked for, each null where its exporter had none, does not ' +
    'report it (Furiosa: memory before 2025.2; Rebellions: ambient) or the reading was refused',
})
export class NpuHistoryPoint {
  @Field(() => Date) timestamp!: Date;
  @Field(() => Float, {
    nullable: true,
    description: 'Card utilisation, 0–100 (Furiosa: mean over its cores)',
  })
  utilizationPercent?: number;
  @Field(() => Float, { nullable: true }) memoryUsedMiB?: number;
  @Field(() => Float, { nullable: true, description: 'Card power' }) powerWatts?: number;
  @Field(() => Float, {
    nullable: true,
    description: 'Furiosa: SoC peak sensor; Rebellions: card temperature',
  })
  temperatureCelsius?: number;
  @Field(() => Float, { nullable: true, description: 'Board (ambient) sensor (Furiosa)' })
  ambientTemperatureCelsius?: number;
}
