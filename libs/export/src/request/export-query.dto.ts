import { applyDecorators } from '@nestjs/common';
import { ApiHideProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { FILTER_TEXT_MAX_LENGTH } from '@kcloud/common';
import { EXPORT_DATASETS, ExportDatasetName } from '../datasets/export-dataset.enum';
import { EXPORT_FORMATS, ExportFormat } from '../formats/export-format';
import { POWER_EXPORT_SOURCES, type PowerExportSource } from '../datasets/power-export-source';

export const PERIODS = ['1h', '24h', '7d'] as const;
export type Period = (typeof PERIODS)[number];

/** `cluster=a&cluster=b` and `cluster=a,b` both give ['a', 'b'] (names never hold commas). */
const toList = ({ value }: { value: unknown }): unknown =>
  value === undefined
    ? undefined
    : (Array.isArray(value) ? value : [value])
        .flatMap((v) => (typeof v === 'string' ? v.split(',') : [v]))
        .map((v) => (typeof v === 'string' ? v.trim() : v))
        .filter((v) => v !== '');

/** An optional list of names from the query string (see toList), at most `maxItems`, each a DNS name at most. */
const NameList = (maxItems: number): PropertyDecorator =>
  applyDecorators(
    IsOptional(),
    Transform(toList),
    ArrayMaxSize(maxItems),
    IsString({ each: true }),
    MaxLength(FILTER_TEXT_MAX_LENGTH, { each: true }),
  );

/** `name=value`: a Prometheus-style label name, `=`, and the value as it is (commas included). */
export const CLUSTER_LABEL_PARAM = /^[a-zA-Z_][a-zA-Z0-9_]{0,62}=[\s\S]{0,256}$/;

// ISO-8601 with a date, or unix seconds (what Prometheus' own API takes).
const TIME = /^(\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?|\d{9,11}(\.\d+)?)$/;
const TIME_MESSAGE = (p: string) => `${p} must be an ISO-8601 time (2025-01-02T03:04:05Z) or unix seconds`;

/**
 * The query string of `GET /api/v1/export/{dataset}`, validated by class-validator. Unknown parameters are
 * rejected too, so a typo (`?formt=csv`) is a 400 naming it rather than a silently different file.
 */
export class ExportQueryDto {
  // The `{dataset}` path segment, not a query parameter (documented on the route).
  @ApiHideProperty()
  @IsIn(EXPORT_DATASETS, { message: `dataset must be one of ${EXPORT_DATASETS.join(', ')}` })
  dataset!: ExportDatasetName;

  @ApiPropertyOptional({
    enum: [...EXPORT_FORMATS],
    enumName: 'ExportFormat',
    default: 'json',
    description: 'File format',
  })
  @IsOptional()
  @IsIn(EXPORT_FORMATS, { message: `format must be one of ${EXPORT_FORMATS.join(', ')}` })
  format?: ExportFormat;

  @ApiPropertyOptional({
    description: 'Start: ISO-8601 (2025-01-02T03:04:05Z) or unix seconds; with `to`, instead of `period`',
    example: '2025-01-02T00:00:00Z',
  })
  @IsOptional()
  @IsString()
  @Matches(TIME, { message: TIME_MESSAGE('from') })
  from?: string;

  @ApiPropertyOptional({ description: 'End: ISO-8601 or unix seconds (default: now)' })
  @IsOptional()
  @IsString()
  @Matches(TIME, { message: TIME_MESSAGE('to') })
  to?: string;

  @ApiPropertyOptional({
    enum: [...PERIODS],
    enumName: 'ExportPeriod',
    description: 'A window ending now, instead of from/to',
  })
  @IsOptional()
  @IsIn(PERIODS, { message: `period must be one of ${PERIODS.join(', ')}` })
  period?: Period;

  @ApiPropertyOptional({
    description: 'Resolution of time series: seconds (60) or 30s, 5m, 1h, 1d',
    example: '5m',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[1-9]\d{0,6}[smhd]?$/, {
    message: 'step must be seconds (60) or a duration like 30s, 5m, 1h, 1d',
  })
  step?: string;

  @ApiPropertyOptional({
    type: [String],
    description: 'Clusters (repeat the parameter or separate by commas); default: all in scope',
  })
  @NameList(100)
  cluster?: string[];

  @ApiPropertyOptional({
    type: [String],
    description:
      'Cluster labels as name=value (repeat the parameter; not comma-separated, a value may hold commas): only ' +
      'clusters carrying every one (PROMETHEUS_CLUSTERS labels); with cluster=, those clusters if they carry them',
    example: ['datacenter=dc1'],
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? [value] : value))
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Matches(CLUSTER_LABEL_PARAM, {
    each: true,
    message: 'clusterLabel must be name=value (a label name, then at most 256 characters)',
  })
  clusterLabel?: string[];

  @ApiPropertyOptional({
    type: [String],
    description: 'Namespaces (repeat or comma-separated); default: all in scope',
  })
  @NameList(100)
  namespace?: string[];

  @ApiPropertyOptional({
    type: [String],
    description: 'GPU UUIDs (repeat or comma-separated); `metrics` and `gpus` only',
  })
  @NameList(1000)
  uuid?: string[];

  @ApiPropertyOptional({
    type: [String],
    description: 'Nodes (repeat or comma-separated); `metrics` and `gpus` only',
  })
  @NameList(100)
  node?: string[];

  @ApiPropertyOptional({
    enum: [...POWER_EXPORT_SOURCES],
    enumName: 'PowerExportSource',
    default: 'gpu',
    description:
      '`power` only: gpu (DCGM board power by node and namespace), node (Kepler node components), pod (Kepler pod ' +
      'power), ipmi (BMC server input per node) or unified (whole-node power by cluster and resource type, facility ' +
      'power and PUE); node, ipmi and unified are node-wide (403 for namespace-scoped keys)',
  })
  @IsOptional()
  @IsIn(POWER_EXPORT_SOURCES, { message: `source must be one of ${POWER_EXPORT_SOURCES.join(', ')}` })
  source?: PowerExportSource;

  @ApiPropertyOptional({
    enum: ['lf', 'crlf'],
    enumName: 'LineEnding',
    default: 'lf',
    description: 'Line ending of CSV and NDJSON',
  })
  @IsOptional()
  @IsIn(['lf', 'crlf'], { message: 'lineEnding must be lf or crlf' })
  lineEnding?: 'lf' | 'crlf';
}
