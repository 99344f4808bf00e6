/** Download formats; the values are what `?format=` takes. */
export enum ExportFormat {
  JSON = 'json',
  NDJSON = 'ndjson',
  CSV = 'csv',
  PARQUET = 'parquet',
  ARROW = 'arrow',
  XLSX = 'xlsx',
  PDF = 'pdf',
}

export const EXPORT_FORMATS: readonly ExportFormat[] = Object.values(ExportFormat);

/** Media types as registered (IANA: application/vnd.apache.parquet, application/vnd.apache.arrow.stream). */
export const FORMAT_INFO: Readonly<
  Record<ExportFormat, { readonly contentType: string; readonly extension: string }>
> = {
  [ExportFormat.JSON]: { contentType: 'application/json; charset=utf-8', extension: 'json' },
  [ExportFormat.NDJSON]: { contentType: 'application/x-ndjson; charset=utf-8', extension: 'ndjson' },
  [ExportFormat.CSV]: { contentType: 'text/csv; charset=utf-8; header=present', extension: 'csv' },
  [ExportFormat.PARQUET]: { contentType: 'application/vnd.apache.parquet', extension: 'parquet' },
  [ExportFormat.ARROW]: { contentType: 'application/vnd.apache.arrow.stream', extension: 'arrows' },
  [ExportFormat.XLSX]: {
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    extension: 'xlsx',
  },
  [ExportFormat.PDF]: { contentType: 'application/pdf', extension: 'pdf' },
};
