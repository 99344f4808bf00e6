import { defaultScenario, FleetModel } from '@kcloud/fleet-model';

import { renderDcgm } from './dcgm';
import { renderKubeStateMetrics } from './kube-state-metrics';
import { escapeLabelValue, formatDouble, formatInt } from './text-format';

/**
 * Every rendered line must be valid Prometheus text format 0.0.4: HELP/TYPE comments, then samples
 * `name{label="value",...} value`. A small line-by-line parser checks the grammar plus the structural rules
 * Prometheus enforces on ingest (metadata before samples, families contiguous, no duplicate series).
 */
const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = '[a-zA-Z_][a-zA-Z0-9_]*';
const VALUE_STR = '"(?:[^"\\\\\\n]|\\\\[\\\\"n])*"';
const HELP_RE = new RegExp(`^# HELP (${NAME}) (.*)$`);
const TYPE_RE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);
const SAMPLE_RE = new RegExp(
  `^(${NAME})(\\{(?:${LABEL}=${VALUE_STR}(?:,${LABEL}=${VALUE_STR})*)?\\})? ([-+]?(?:\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?|NaN|Inf))(?: -?\\d+)?$`,
);

interface Parsed {
  readonly families: Map<string, { type?: string; help?: string; samples: number }>;
  readonly problems: string[];
}

function parseExposition(text: string): Parsed {
  const families = new Map<string, { type?: string; help?: string; samples: number }>();
  const problems: string[] = [];
  const seen = new Set<string>();
  let current = '';
  if (text.length > 0 && !text.endsWith('\n')) problems.push('body does not end with a newline');
  text
    .split('\n')
    .slice(0, -1)
    .forEach((line, i) => {
      const at = `line ${i + 1}`;
      const help = HELP_RE.exec(line);
      const type = TYPE_RE.exec(line);
      const sample = SAMPLE_RE.exec(line);
      const name = help?.[1] ?? type?.[1] ?? sample?.[1];
      if (!name) return void problems.push(`${at}: not valid exposition: ${line.slice(0, 120)}`);
      if (name !== current) {
        if (families.has(name)) problems.push(`${at}: family ${name} is not contiguous`);
        families.set(name, { samples: 0 });
        current = name;
      }
      const family = families.get(name)!;
      if (help) family.help = help[2];
      if (type) {
        if (family.samples > 0) problems.push(`${at}: TYPE of ${name} after its samples`);
        family.type = type[2];
      }
      if (sample) {
        if (!family.type || family.help === undefined)
          problems.push(`${at}: ${name} sample before HELP/TYPE`);
        const series = `${name}${sample[2] ?? ''}`;
        if (seen.has(series)) problems.push(`${at}: duplicate series ${series.slice(0, 120)}`);
        seen.add(series);
        family.samples++;
      }
    });
  return { families, problems };
}

describe('Prometheus text format', () => {
  const model = new FleetModel(defaultScenario());

  it.each(model.clusters())(
    'dcgm output of cluster %s parses cleanly, both host label spellings',
    (cluster) => {
      for (const hostnameLabel of ['Hostname', 'hostname'] as const) {
        const parsed = parseExposition(renderDcgm(model.gpus(cluster), { hostnameLabel }));
        expect(parsed.problems).toEqual([]);
        expect(parsed.families.get('DCGM_FI_DEV_FB_USED')!.samples).toBe(model.gpus(cluster).length);
        expect(parsed.families.get('DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION')!.type).toBe('counter');
      }
    },
  );

  it.each(model.clusters())('kube-state-metrics output of cluster %s parses cleanly', (cluster) => {
    const parsed = parseExposition(renderKubeStateMetrics(model.nodes(cluster), model.pods(cluster)));
    expect(parsed.problems).toEqual([]);
    expect(parsed.families.get('kube_pod_info')!.samples).toBe(model.pods(cluster).length);
  });

  it('catches malformed lines (the parser is not vacuous)', () => {
    const bad = '# HELP x h\n# TYPE x gauge\nx{a="1"} 1\nx{a="1"} 2\ny{a=1} 1\nz 1\nx 1';
    expect(parseExposition(bad).problems).toEqual([
      'body does not end with a newline',
      'line 4: duplicate series x{a="1"}',
      'line 5: not valid exposition: y{a=1} 1',
      'line 6: z sample before HELP/TYPE',
    ]);
  });

  it.each([
    [0, '0.000000'],
    [67.351, '67.351000'],
    [0.8123456, '0.812346'],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, '+Inf'],
  ])('formats %p with %%f as %s', (value, text) => {
    expect(formatDouble(value)).toBe(text);
  });

  it('formats int64 fields without decimals or exponent', () => {
    expect(formatInt(20246553318501)).toBe('20246553318501');
    expect(escapeLabelValue('plain')).toBe('plain');
  });
});
