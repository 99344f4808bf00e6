import type { ExportDatasetName } from './datasets/export-dataset.enum';
import type { ExportFormat } from './formats/export-format';
import type { PowerExportSource } from './datasets/power-export-source';

export const EXPORT_BASE_PATH = '/api/v1/export';

export interface ExportLinkInput {
  readonly dataset: ExportDatasetName;
  readonly format: ExportFormat;
  readonly from?: Date;
  readonly to?: Date;
  readonly stepSeconds?: number;
  readonly clusters?: readonly string[];
  readonly namespaces?: readonly string[];
  readonly clusterLabels?: readonly { readonly name: string; readonly value: string }[];
  /** `power` only: what it reads (absent: GPU boards). */
  readonly powerSource?: PowerExportSource;
}

/** The query the download route takes, as a raw object (what Express would parse from the link). */
export function exportQuery(link: ExportLinkInput): Record<string, string | string[]> {
  const q: Record<string, string | string[]> = { format: link.format };
  if (link.from) q.from = link.from.toISOString();
  if (link.to) q.to = link.to.toISOString();
  if (link.stepSeconds !== undefined) q.step = String(link.stepSeconds);
  if (link.clusters?.length) q.cluster = [...link.clusters];
  if (link.namespaces?.length) q.namespace = [...link.namespaces];
  if (link.clusterLabels?.length) q.clusterLabel = link.clusterLabels.map((l) => `${l.name}=${l.value}`);
  if (link.powerSource) q.source = link.powerSource;
  return q;
}

/** `/api/v1/export/<dataset>?format=…&from=…`; lists as repeated parameters, every value URL-encoded. */
export function exportPath(link: ExportLinkInput): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(exportQuery(link)))
    for (const v of Array.isArray(value) ? value : [value]) params.append(key, v);
  return `${EXPORT_BASE_PATH}/${link.dataset}?${params.toString()}`;
}
