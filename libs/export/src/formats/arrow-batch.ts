import {
  type DataType,
  Field,
  Float64,
  Int32,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  TimestampMillisecond,
  Utf8,
  vectorFromArray,
} from 'apache-arrow';
import type { Cell, Column, ColumnType, Row } from '../table';

function arrowType(type: ColumnType): DataType {
  switch (type) {
    case 'string':
      return new Utf8();
    case 'int':
      return new Int32();
    case 'float':
      return new Float64();
    case 'timestamp':
      // UTC-adjusted milliseconds: Parquet marks the column isAdjustedToUTC, readers see instants, not wall times.
      return new TimestampMillisecond('UTC');
  }
}

/** Every column nullable: a GPU without a pod or a MIG instance without GPU_UTIL has honest gaps. */
export function arrowSchema(columns: readonly Column[]): Schema {
  return new Schema(columns.map((c) => new Field(c.name, arrowType(c.type), true)));
}

function arrowValue(cell: Cell, type: ColumnType): string | number | null {
  if (cell === null) return null;
  if (type === 'timestamp') return cell instanceof Date ? cell.getTime() : null;
  if (type === 'string') return String(cell);
  // NaN and ±Inf are "no value" in every other format too.
  return typeof cell === 'number' && Number.isFinite(cell) ? cell : null;
}

/** One Arrow record batch from a batch of rows, column by column, always with the same schema object. */
export function toRecordBatch(schema: Schema, columns: readonly Column[], rows: readonly Row[]): RecordBatch {
  const children = columns.map((c, i) => {
    const field = schema.fields[i];
    if (!field) throw new Error(`arrow: no schema field for column ${c.name}`);
    const [data] = vectorFromArray(
      rows.map((r) => arrowValue(r[i] ?? null, c.type)),
      field.type as DataType,
    ).data;
    // A vector built from an array is one chunk.
    return data!;
  });
  return new RecordBatch(
    schema,
    makeData({ type: new Struct(schema.fields), length: rows.length, children }),
  );
}
