import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { badInput } from '@kcloud/common';
import { ExportDatasetName } from '../datasets/export-dataset.enum';
import type { LineEnding } from '../formats/csv.writer';
import { ExportFormat, FORMAT_INFO } from '../formats/export-format';
import { ExportQueryDto, type Period } from './export-query.dto';
import { NODE_WIDE_POWER_SOURCES, type PowerExportSource } from '../datasets/power-export-source';

/** A validated export request: every time resolved, every list narrowed later by the caller's scope. */
export interface ExportRequest {
  readonly dataset: ExportDatasetName;
  readonly format: ExportFormat;
  readonly from: Date;
  readonly to: Date;
  /** As asked; absent means "choose one that fits the range and the row cap". */
  readonly stepSeconds?: number;
  readonly clusters?: readonly string[];
  /** Clusters chosen by their labels (clusterLabel=name=value), resolved to names before any read. */
  readonly clusterLabels?: readonly { readonly name: string; readonly value: string }[];
  readonly namespaces?: readonly string[];
  /** GPU UUIDs and nodes: device filters of the per-GPU datasets (`metrics`, `gpus`). */
  readonly uuids?: readonly string[];
  readonly nodes?: readonly string[];
  /** What the `power` dataset reads; absent: GPU board power. */
  readonly powerSource?: PowerExportSource;
  readonly lineEnding: LineEnding;
}

/** The datasets with one row per GPU, where a GPU or node filter means something. */
const DEVICE_DATASETS: readonly ExportDatasetName[] = [ExportDatasetName.METRICS, ExportDatasetName.GPUS];

const PERIOD_SECONDS: Readonly<Record<Period, number>> = { '1h': 3600, '24h': 86_400, '7d': 604_800 };
const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400 } as const;
const DEFAULT_PERIOD: Period = '1h';

function parseTime(text: string, argument: string): Date {
  const date = /^\d+(\.\d+)?$/.test(text) ? new Date(Number(text) * 1000) : new Date(text);
  if (Number.isNaN(date.getTime()))
    throw badInput(argument, `${argument} is not a valid time: ${text.slice(0, 40)}`);
  return date;
}

/** `60`, `30s`, `5m`, `1h`, `1d` → seconds (the DTO has checked the shape). */
export function parseStep(text: string): number {
  const [, amount, unit] = /^(\d+)([smhd]?)$/.exec(text) ?? [];
  return Number(amount) * UNIT_SECONDS[(unit || 's') as keyof typeof UNIT_SECONDS];
}

/**
 * Validates the raw query (path parameter included) and resolves the time range: `period` (1h|24h|7d, the seed's
 * shorthand) ending now, or `from`/`to` (`to` defaults to now, `from` to one hour before `to`). The first problem
 * becomes a BAD_USER_INPUT naming its parameter.
 */
export function parseExportQuery(raw: Readonly<Record<string, unknown>>, clock: Date): ExportRequest {
  // Whole seconds: the default range and the file name read better, and Prometheus steps align with them.
  const now = new Date(Math.floor(clock.getTime() / 1000) * 1000);
  const dto = plainToInstance(ExportQueryDto, raw);
  const [error] = validateSync(dto, { whitelist: true, forbidNonWhitelisted: true, stopAtFirstError: true });
  if (error) {
    const message = Object.values(error.constraints ?? {})[0] ?? `${error.property} is invalid`;
    throw badInput(
      error.property,
      message.replace(/^property (\S+) should not exist$/, 'unknown parameter $1'),
    );
  }
  if (dto.period && (dto.from || dto.to)) throw badInput('period', 'use either period or from/to, not both');
  const to = dto.to ? parseTime(dto.to, 'to') : now;
  const from = dto.from
    ? parseTime(dto.from, 'from')
    : new Date(to.getTime() - PERIOD_SECONDS[dto.period ?? DEFAULT_PERIOD] * 1000);
  if (from.getTime() > to.getTime()) throw badInput('from', 'from must not be after to');
  // Aggregated datasets (power by node/namespace, scores, report) would silently ignore them: refuse instead.
  for (const [argument, list] of [
    ['uuid', dto.uuid],
    ['node', dto.node],
  ] as const)
    if (list?.length && !DEVICE_DATASETS.includes(dto.dataset))
      throw badInput(argument, `${argument} filters the ${DEVICE_DATASETS.join(' and ')} datasets only`);
  if (dto.source !== undefined && dto.dataset !== ExportDatasetName.POWER)
    throw badInput('source', 'source selects what the power dataset reads; other datasets take none');
  // Node-wide rows have no namespace: a namespace filter would be ignored, so it is refused.
  if (dto.source && NODE_WIDE_POWER_SOURCES.includes(dto.source) && dto.namespace?.length)
    throw badInput(
      'namespace',
      `source=${dto.source} is node-wide: namespace filters source=gpu and pod only`,
    );
  return {
    dataset: dto.dataset,
    format: dto.format ?? ExportFormat.JSON,
    from,
    to,
    stepSeconds: dto.step === undefined ? undefined : parseStep(dto.step),
    clusters: dto.cluster?.length ? dto.cluster : undefined,
    ...(dto.clusterLabel?.length ? { clusterLabels: dto.clusterLabel.map(labelMatch) } : {}),
    namespaces: dto.namespace?.length ? dto.namespace : undefined,
    ...(dto.uuid?.length ? { uuids: dto.uuid } : {}),
    ...(dto.node?.length ? { nodes: dto.node } : {}),
    ...(dto.source ? { powerSource: dto.source } : {}),
    lineEnding: dto.lineEnding ?? 'lf',
  };
}

const compact = (d: Date): string =>
  d
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');

/** `kcloud-<dataset>-<from>-<to>.<ext>`, times as 20250102T030405Z (safe in every file system). */
export function exportFileName(
  request: Pick<ExportRequest, 'dataset' | 'format' | 'from' | 'to' | 'powerSource'>,
): string {
  // `power` of another source than GPU boards says so (`kcloud-power-ipmi-…`); the default name is unchanged.
  const source = request.powerSource && request.powerSource !== 'gpu' ? `-${request.powerSource}` : '';
  return `kcloud-${request.dataset}${source}-${compact(request.from)}-${compact(request.to)}.${FORMAT_INFO[request.format].extension}`;
}

/** `datacenter=dc1` → {name: 'datacenter', value: 'dc1'}: split at the first `=` (the DTO has checked the shape). */
function labelMatch(param: string): { name: string; value: string } {
  const at = param.indexOf('=');
  return { name: param.slice(0, at), value: param.slice(at + 1) };
}
