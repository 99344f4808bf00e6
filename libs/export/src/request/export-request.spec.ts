import { DomainError } from '@kcloud/common';
import { ExportDatasetName } from '../datasets/export-dataset.enum';
import { ExportFormat } from '../formats/export-format';
import { exportFileName, parseExportQuery, parseStep } from './export-request';

const NOW = new Date('2025-03-04T05:06:07.890Z');
const NOW_S = new Date('2025-03-04T05:06:07Z');

function argumentOf(run: () => unknown): unknown {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    expect((e as DomainError).code).toBe('BAD_USER_INPUT');
    return (e as DomainError).details.argument;
  }
  throw new Error('expected a DomainError');
}

describe('parseExportQuery', () => {
  it('defaults to JSON over the last hour (whole seconds) with a chosen step and no filters', () => {
    expect(parseExportQuery({ dataset: 'gpus' }, NOW)).toEqual({
      dataset: ExportDatasetName.GPUS,
      format: ExportFormat.JSON,
      from: new Date('2025-03-04T04:06:07Z'),
      to: NOW_S,
      stepSeconds: undefined,
      clusters: undefined,
      namespaces: undefined,
      lineEnding: 'lf',
    });
  });

  it.each([
    ['24h', 86_400_000],
    ['7d', 604_800_000],
  ])('reads period=%s as the window ending now', (period, ms) => {
    const r = parseExportQuery({ dataset: 'power', period }, NOW);
    expect(NOW_S.getTime() - r.from.getTime()).toBe(ms);
    expect(r.to).toEqual(NOW_S);
  });

  it('reads from/to as ISO-8601 or unix seconds, repeated and comma-separated lists, CRLF', () => {
    const r = parseExportQuery(
      {
        dataset: 'metrics',
        format: 'csv',
        from: '2025-01-01T00:00:00Z',
        to: '1735693200',
        step: '5m',
        cluster: ['east', 'west,north'],
        namespace: 'ml',
        lineEnding: 'crlf',
      },
      NOW,
    );
    expect(r).toMatchObject({
      format: 'csv',
      from: new Date('2025-01-01T00:00:00Z'),
      to: new Date('2025-01-01T01:00:00Z'),
      stepSeconds: 300,
      clusters: ['east', 'west', 'north'],
      namespaces: ['ml'],
      lineEnding: 'crlf',
    });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['an unknown dataset', { dataset: 'nodes' }, 'dataset'],
    ['an unknown format', { dataset: 'gpus', format: 'docx' }, 'format'],
    ['from after to', { dataset: 'gpus', from: '2025-01-02T00:00:00Z', to: '2025-01-01T00:00:00Z' }, 'from'],
    ['a malformed from', { dataset: 'gpus', from: 'yesterday' }, 'from'],
    ['an impossible date', { dataset: 'gpus', to: '2025-13-45T00:00:00Z' }, 'to'],
    ['a malformed step', { dataset: 'gpus', step: '-5' }, 'step'],
    ['a zero step', { dataset: 'gpus', step: '0' }, 'step'],
    ['an unknown period', { dataset: 'gpus', period: '2h' }, 'period'],
    ['period together with from', { dataset: 'gpus', period: '1h', from: '2025-01-01T00:00:00Z' }, 'period'],
    ['an unknown parameter', { dataset: 'gpus', formt: 'csv' }, 'formt'],
    ['a bad line ending', { dataset: 'gpus', lineEnding: 'cr' }, 'lineEnding'],
    ['an overlong namespace', { dataset: 'gpus', namespace: 'x'.repeat(300) }, 'namespace'],
  ])('rejects %s naming the parameter', (_what, raw, argument) => {
    expect(argumentOf(() => parseExportQuery(raw, NOW))).toBe(argument);
  });
});

describe('parseStep', () => {
  it.each([
    ['60', 60],
    ['30s', 30],
    ['5m', 300],
    ['1h', 3600],
    ['2d', 172_800],
  ])('%s → %d s', (text, seconds) => expect(parseStep(text)).toBe(seconds));
});

describe('exportFileName', () => {
  it('takes uuid and node lists for the per-GPU datasets and refuses them elsewhere', () => {
    expect(parseExportQuery({ dataset: 'metrics', uuid: 'GPU-a,GPU-b', node: ['n1'] }, NOW)).toMatchObject({
      uuids: ['GPU-a', 'GPU-b'],
      nodes: ['n1'],
    });
    expect(parseExportQuery({ dataset: 'gpus', node: 'n1' }, NOW)).toMatchObject({ nodes: ['n1'] });
    expect(argumentOf(() => parseExportQuery({ dataset: 'power', uuid: 'GPU-a' }, NOW))).toBe('uuid');
    expect(argumentOf(() => parseExportQuery({ dataset: 'report', node: 'n1' }, NOW))).toBe('node');
  });

  it('names dataset and range with file-system-safe times', () => {
    expect(
      exportFileName({
        dataset: ExportDatasetName.POWER,
        format: ExportFormat.ARROW,
        from: new Date('2025-01-02T03:04:05.678Z'),
        to: new Date('2025-01-02T04:04:05Z'),
      }),
    ).toBe('kcloud-power-20250102T030405Z-20250102T040405Z.arrows');
  });
});

describe('the power export’s source', () => {
  const message = (run: () => unknown): string => {
    try {
      run();
    } catch (e) {
      return (e as DomainError).message;
    }
    throw new Error('expected a DomainError');
  };

  it('is absent (GPU boards) unless asked, and taken for power only', () => {
    expect(parseExportQuery({ dataset: 'power' }, NOW)).not.toHaveProperty('powerSource');
    expect(parseExportQuery({ dataset: 'power', source: 'ipmi' }, NOW)).toMatchObject({
      powerSource: 'ipmi',
    });
    expect(argumentOf(() => parseExportQuery({ dataset: 'metrics', source: 'gpu' }, NOW))).toBe('source');
  });

  it('refuses an unknown source with the list of allowed ones', () => {
    expect(argumentOf(() => parseExportQuery({ dataset: 'power', source: 'kepler' }, NOW))).toBe('source');
    expect(message(() => parseExportQuery({ dataset: 'power', source: 'kepler' }, NOW))).toBe(
      'source must be one of gpu, node, pod, ipmi, unified',
    );
  });

  it('refuses a namespace filter on the node-wide sources and keeps it for gpu and pod', () => {
    for (const source of ['node', 'ipmi', 'unified'])
      expect(argumentOf(() => parseExportQuery({ dataset: 'power', source, namespace: 'ml' }, NOW))).toBe(
        'namespace',
      );
    for (const source of ['gpu', 'pod'])
      expect(parseExportQuery({ dataset: 'power', source, namespace: 'ml' }, NOW)).toMatchObject({
        namespaces: ['ml'],
      });
  });

  it('names the file after a source other than GPU boards, and leaves the default name as it was', () => {
    const request = {
      dataset: ExportDatasetName.POWER,
      format: ExportFormat.CSV,
      from: new Date('2025-01-02T03:04:05Z'),
      to: new Date('2025-01-02T04:04:05Z'),
    };
    expect(exportFileName({ ...request, powerSource: 'gpu' })).toBe(
      'kcloud-power-20250102T030405Z-20250102T040405Z.csv',
    );
    expect(exportFileName({ ...request, powerSource: 'unified' })).toBe(
      'kcloud-power-unified-20250102T030405Z-20250102T040405Z.csv',
    );
  });
});
