/**
 * Why a reading is served as null instead of a number. Shared by every reader (instant, range, window) and every
 * exporter family, so a dashboard, an export and `dataQuality.nullFields` speak one vocabulary.
 */
export enum InvalidReadingReason {
  /** One of DCGM's blank sentinels (int32/int64 blanks, 4294967295, float blanks near 1e38, the 0x7ffffff0 range). */
  DCGM_BLANK = 'DCGM_BLANK',
  /** NaN or ±Inf. */
  NOT_A_NUMBER = 'NOT_A_NUMBER',
  /** Physically impossible: a temperature above 200 °C, a utilisation above 100 %, a negative power. */
  OUT_OF_RANGE = 'OUT_OF_RANGE',
  /** More than the device holds: memory used above its capacity. */
  ABOVE_CAPACITY = 'ABOVE_CAPACITY',
}

/** One field of a sample that was read but refused, with the reason (the field name is the sample's, camelCase). */
export interface InvalidReading {
  readonly field: string;
  readonly reason: InvalidReadingReason;
}

/** Samples whose fields can be refused carry the refusals beside the (absent) values. */
export interface WithInvalidReadings {
  readonly invalidReadings?: readonly InvalidReading[];
}
