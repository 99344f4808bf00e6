/**
 * The shape every export speaks: typed columns (snake_case names with their unit, `power_watts`) and rows as
 * arrays aligned with them, so a million rows cost no per-row key objects.
 */
export type ColumnType = 'string' | 'int' | 'float' | 'timestamp';

export interface Column {
  readonly name: string;
  readonly type: ColumnType;
}

export type Cell = string | number | Date | null;
export type Row = readonly Cell[];

/** A summary made of several small tables (the report): one sheet each in xlsx, one section each in PDF. */
export interface ExportSection {
  readonly name: string;
  readonly title: string;
  readonly columns: readonly Column[];
  readonly rows: readonly Row[];
  /** Shown instead of (or under) the table, e.g. why a section is empty. */
  readonly note?: string;
}

export interface ExportDocument {
  readonly title: string;
  readonly subtitle: string;
  readonly sections: readonly ExportSection[];
}

/** Title lines for formats that have room for them (xlsx sheet name, PDF heading). */
export interface ExportMeta {
  readonly title: string;
  readonly subtitle: string;
}

export const col = (name: string, type: ColumnType): Column => ({ name, type });

/** A GPU or MIG instance as the analyzer names it (id = UUID, or UUID/instance), where it runs and whose it is. */
export const DEVICE_ID_COLUMNS: readonly Column[] = [
  col('gpu_id', 'string'),
  col('cluster', 'string'),
  col('node', 'string'),
  col('model', 'string'),
  col('namespace', 'string'),
  col('pod', 'string'),
];
