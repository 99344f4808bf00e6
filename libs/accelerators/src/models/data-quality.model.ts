import { Field, Float, ObjectType } from '@nestjs/graphql';
import { registerDescribedEnum } from '@kcloud/common';
import { DataQualityStatus, InvalidReadingReason } from '@kcloud/metrics-source';

registerDescribedEnum(DataQualityStatus, {
  name: 'DataQualityStatus',
  description:
    "State of a device's data, worst first: EXPORTER_DOWN > STALE > FROZEN > PARTIAL > OK (a device gets the first " +
    'that applies)',
  values: {
    OK: 'Fresh readings from a target that is up; every field read was accepted',
    STALE: 'The newest sample is older than two scrape intervals although the target is up',
    FROZEN:
      'Energy counter, power and temperature identical for DATA_FROZEN_SAMPLES consecutive scrapes while the ' +
      'target is up: the exporter serves a cached value',
    EXPORTER_DOWN:
      "The exporter target's last scrape failed (up == 0); the device is listed with its last known identity",
    PARTIAL: 'Live, but some fields were refused (see nullFields) and are null',
  },
});

registerDescribedEnum(InvalidReadingReason, {
  name: 'InvalidReadingReason',
  description: 'Why a reading is served as null instead of a number',
  values: {
    DCGM_BLANK: "One of DCGM's blank sentinels (int32/int64/uint32 blanks, float blanks near 1e38)",
    NOT_A_NUMBER: 'NaN or ±Inf',
    OUT_OF_RANGE: 'Physically impossible, e.g. a temperature above 200 °C or a utilisation above 100 %',
    ABOVE_CAPACITY: 'More than the device holds, e.g. memory used above its capacity',
  },
});

@ObjectType({ description: 'A field that was read but refused, so it is null on the device' })
export class NullField {
  @Field({ description: 'The field name as in this schema, e.g. temperatureCelsius' }) field!: string;
  @Field(() => InvalidReadingReason) reason!: InvalidReadingReason;
}

@ObjectType({
  description:
    "How far a device's readings can be trusted. status precedence: EXPORTER_DOWN > STALE > FROZEN > PARTIAL > OK",
})
export class DataQuality {
  @Field(() => DataQualityStatus) status!: DataQualityStatus;
  @Field(() => Float, {
    nullable: true,
    description:
      'Seconds between the newest sample and now (for a down target: since the last sample before it failed)',
  })
  sampleAgeSeconds?: number;
  @Field(() => Float, {
    nullable: true,
    description: "The exporter target's scrape interval, measured from its up series (null until known)",
  })
  scrapeIntervalSeconds?: number;
  @Field(() => [NullField]) nullFields!: NullField[];
  @Field(() => String, { nullable: true, description: 'The status in words; null when OK' }) reason?: string;
}

/** Re-exported with their GraphQL registration, so other libraries use the registered enums from here. */
export { DataQualityStatus, InvalidReadingReason };
