import type { TenantScope } from '@kcloud/common';
import type { ExportRequest } from '../request/export-request';
import type { Column, ExportDocument, Row } from '../table';
import type { ExportDatasetName } from './export-dataset.enum';

export interface ExportLimits {
  readonly maxRows: number;
  readonly batchRows: number;
}

export interface DatasetContext {
  readonly request: ExportRequest;
  readonly scope: TenantScope;
  readonly limits: ExportLimits;
}

/** Rows streamed batch by batch (every dataset but the report). */
export interface TablePlan {
  readonly kind: 'table';
  readonly title: string;
  readonly columns: readonly Column[];
  readonly estimatedRows: number;
  /** The step used, for time series (chosen when the request had none). */
  readonly stepSeconds?: number;
  rows(signal: AbortSignal): AsyncIterable<readonly Row[]>;
}

/** A small multi-table document built in full before it is written (the report). */
export interface DocumentPlan {
  readonly kind: 'document';
  /** Source rows the build will read: the cap applies to the work, not to the (small) output. */
  readonly estimatedRows: number;
  readonly stepSeconds: number;
  build(signal: AbortSignal): Promise<ExportDocument>;
}

export type DatasetPlan = TablePlan | DocumentPlan;

/**
 * One downloadable dataset. `plan` validates what depends on data (row estimates against the cap) and must not
 * start the heavy reading; the rows or the document are produced only once the download really starts.
 */
export interface ExportDataset {
  readonly name: ExportDatasetName;
  plan(context: DatasetContext): Promise<DatasetPlan>;
}

/** DI token collecting every dataset (multi-provider style: one array). */
export const EXPORT_DATASETS_TOKEN = Symbol('EXPORT_DATASETS');
