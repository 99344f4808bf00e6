/** What can be downloaded; the values are the `{dataset}` path segment. */
export enum ExportDatasetName {
  GPUS = 'gpus',
  SCORES = 'scores',
  POWER = 'power',
  NODE_POWER = 'node-power',
  METRICS = 'metrics',
  REPORT = 'report',
}

export const EXPORT_DATASETS: readonly ExportDatasetName[] = Object.values(ExportDatasetName);
