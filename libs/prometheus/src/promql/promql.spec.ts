import { DomainError, ErrorCode } from '@kcloud/common';
import { parsePromQL } from '../testing/promql-parse';
import {
  aggregate,
  binary,
  fn,
  labelReplace,
  lastOverTime,
  num,
  offset,
  or,
  rangeFn,
  selector,
  selectorByNames,
  seriesSelector,
  str,
  subqueryFn,
  type PromQL,
} from './expr';
import { eq, escapeLabelValue, escapeRegex, MATCH_NOTHING_REGEX, ne, nre, oneOf, re } from './matchers';

const HOSTILE: readonly [string, string][] = [
  ['quote-close injection', 'a"} or vector(1) #'],
  ['regex wildcard', '.*'],
  ['lone backslash', '\\'],
  ['escaped quote', '\\"'],
  ['newline', 'a\nb'],
  ['carriage return', 'a\rb'],
  ['alternation', 'team-a|team-b'],
  ['brace close', '} or up{'],
  ['replacement ref', '$1'],
  ['all RE2 metacharacters', '\\.+*?()|[]{}^$'],
  ['unicode', 'ünïcödé 日本語 🚀'],
  ['empty', ''],
  ['10 kB', 'x"\\\n'.repeat(2560)],
];

function expectBadInput(run: () => unknown): void {
  let caught: unknown;
  try {
    run();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(DomainError);
  expect((caught as DomainError).code).toBe(ErrorCode.BAD_USER_INPUT);
}

function expectParses(query: string): ReturnType<typeof parsePromQL> {
  const parsed = parsePromQL(query);
  expect(parsed.errors).toEqual([]);
  return parsed;
}

/** RE2 and JS agree on literal escapes; JS with the `s`+`u` flags stands in for Prometheus' anchored `^(?s:…)$`. */
const fullMatch = (regex: string, value: string): boolean => new RegExp(`^(?:${regex})$`, 'su').test(value);

describe('escapeLabelValue', () => {
  it.each([
    ['plain', 'abc', 'abc'],
    ['quote', 'a"b', 'a\\"b'],
    ['backslash before quote', '\\"', '\\\\\\"'],
    ['newline', 'a\nb', 'a\\nb'],
    ['carriage return', 'a\rb', 'a\\rb'],
    ['unicode untouched', '日本', '日本'],
  ])('escapes %s', (_name, input, expected) => {
    expect(escapeLabelValue(input)).toBe(expected);
  });
});

describe('escapeRegex', () => {
  it('escapes every RE2 metacharacter', () => {
    expect(escapeRegex('\\.+*?()|[]{}^$')).toBe('\\\\\\.\\+\\*\\?\\(\\)\\|\\[\\]\\{\\}\\^\\$');
  });
  it.each(HOSTILE)('makes %s match only itself', (_name, value) => {
    expect(fullMatch(escapeRegex(value), value)).toBe(true);
    expect(fullMatch(escapeRegex(value), `${value}x`)).toBe(false);
  });
});

describe('matchers in a selector keep hostile values inside one string literal', () => {
  const helpers = [
    ['eq', eq],
    ['ne', ne],
    ['re', re],
    ['nre', nre],
  ] as const;
  for (const [helper, make] of helpers) {
    it.each(HOSTILE)(`${helper}: %s`, (_name, value) => {
      const query = selector('DCGM_FI_DEV_GPU_UTIL', [make('namespace', value), eq('cluster', 'east')]);
      const parsed = expectParses(query);
      expect(parsed.count('VectorSelector')).toBe(1);
      expect(parsed.count('BinaryExpr')).toBe(0);
      expect(parsed.count('FunctionCall')).toBe(0);
      expect(parsed.count('LineComment')).toBe(0);
      expect(parsed.strings).toEqual([value, 'east']);
    });
  }
});

describe('oneOf', () => {
  it('renders an escaped alternation', () => {
    expect(selector('up', [oneOf('namespace', ['team-a', 'a.b', 'c|d'])])).toBe(
      'up{namespace=~"team-a|a\\\\.b|c\\\\|d"}',
    );
  });

  it.each(HOSTILE)('matches %s literally and nothing wider', (_name, value) => {
    const query = selector('up', [oneOf('pod', [value, 'other'])]);
    const parsed = expectParses(query);
    expect(parsed.count('VectorSelector')).toBe(1);
    expect(parsed.strings).toHaveLength(1);
    const [regex] = parsed.strings as [string];
    expect(fullMatch(regex, value)).toBe(true);
    expect(fullMatch(regex, 'other')).toBe(true);
    expect(fullMatch(regex, `${value}-suffix`)).toBe(false);
    expect(fullMatch(regex, 'team-a')).toBe(value === 'team-a');
  });

  it('drops duplicate values', () => {
    expect(oneOf('pod', ['a', 'a', 'b']).value).toBe('a|b');
  });

  it('matches nothing for an empty list, not even a series without the label', () => {
    const matcher = oneOf('namespace', []);
    expect(matcher).toEqual({ label: 'namespace', op: '=~', value: MATCH_NOTHING_REGEX });
    const parsed = expectParses(selector('up', [matcher]));
    expect(parsed.strings).toHaveLength(1);
    const [regex] = parsed.strings as [string];
    for (const candidate of ['', 'a', ' ', '\n', '🚀', 'namespace', '[^\\s\\S]'])
      expect(fullMatch(regex, candidate)).toBe(false);
  });
});

describe('name validation', () => {
  it.each(['', '1abc', 'a-b', 'a"b', 'a}', 'ä', ' a', 'a b', 'a:b', 'x'.repeat(10240) + '-'])(
    'rejects label name %j',
    (name) => {
      expectBadInput(() => eq(name, 'v'));
      expectBadInput(() => aggregate('sum', [name], selector('up')));
    },
  );

  it.each(['', '1up', 'up-time', 'up{', 'up"', 'ä'])('rejects metric name %j', (name) => {
    expectBadInput(() => selector(name, []));
    expectBadInput(() => selectorByNames(['up', name]));
  });

  it('accepts colons in metric names (recording rules) and __name__-style labels', () => {
    expect(selector('job:up:sum', [eq('__meta_x', 'y')])).toBe('job:up:sum{__meta_x="y"}');
  });

  it('rejects a matcher object whose label bypassed the helpers', () => {
    expectBadInput(() => selector('up', [{ label: 'a"} or vector(1) #', op: '=', value: 'x' }]));
  });
});

describe('expression builders', () => {
  const sel = selector('DCGM_FI_DEV_GPU_UTIL', [eq('cluster', 'east')]);
  const cases: readonly [string, PromQL, string][] = [
    ['bare selector', selector('up'), 'up'],
    ['selectorByNames', selectorByNames(['A', 'B_c', 'A'], [eq('job', 'x')]), '{__name__=~"A|B_c", job="x"}'],
    ['seriesSelector', seriesSelector([eq('job', 'x'), ne('pod', '')]), '{job="x", pod!=""}'],
    [
      'rangeFn',
      rangeFn('avg_over_time', sel, 600),
      'avg_over_time(DCGM_FI_DEV_GPU_UTIL{cluster="east"}[600s])',
    ],
    ['lastOverTime', lastOverTime(sel, 60), 'last_over_time(DCGM_FI_DEV_GPU_UTIL{cluster="east"}[60s])'],
    [
      'aggregate by',
      aggregate('avg', ['cluster', 'Hostname'], sel),
      'avg by (cluster, Hostname) (DCGM_FI_DEV_GPU_UTIL{cluster="east"})',
    ],
    ['aggregate without labels', aggregate('count', [], sel), 'count (DCGM_FI_DEV_GPU_UTIL{cluster="east"})'],
    ['fn with numbers', fn('clamp', sel, 0, 100), 'clamp(DCGM_FI_DEV_GPU_UTIL{cluster="east"}, 0, 100)'],
    [
      'fn with special numbers',
      fn('clamp', sel, -Infinity, Infinity),
      'clamp(DCGM_FI_DEV_GPU_UTIL{cluster="east"}, -Inf, +Inf)',
    ],
    ['fn of a literal', fn('vector', num(NaN)), 'vector(NaN)'],
    [
      'fn with a string',
      fn('label_join', sel, str('dst'), str(','), str('a'), str('b')),
      'label_join(DCGM_FI_DEV_GPU_UTIL{cluster="east"}, "dst", ",", "a", "b")',
    ],
    [
      'labelReplace',
      labelReplace(sel, 'gpu_uuid', '$1', 'UUID', '(.*)'),
      'label_replace(DCGM_FI_DEV_GPU_UTIL{cluster="east"}, "gpu_uuid", "$1", "UUID", "(.*)")',
    ],
    ['or', or(sel, selector('other')), '(DCGM_FI_DEV_GPU_UTIL{cluster="east"}) or (other)'],
    [
      'binary with group_left',
      binary(sel, '/', selector('limit'), { on: ['uuid'], group: 'left', include: ['model'] }),
      '(DCGM_FI_DEV_GPU_UTIL{cluster="east"}) / on (uuid) group_left (model) (limit)',
    ],
    [
      'binary with ignoring',
      binary(sel, '*', num(2), { ignoring: ['job'] }),
      '(DCGM_FI_DEV_GPU_UTIL{cluster="east"}) * ignoring (job) (2)',
    ],
    [
      'comparison bool',
      binary(sel, '>', num(0.5), { bool: true }),
      '(DCGM_FI_DEV_GPU_UTIL{cluster="east"}) > bool (0.5)',
    ],
    [
      'offset',
      fn('timestamp', offset(sel, 600)),
      'timestamp(DCGM_FI_DEV_GPU_UTIL{cluster="east"} offset 600s)',
    ],
    [
      'subqueryFn',
      subqueryFn('max_over_time', fn('timestamp', sel), 600, 15),
      'max_over_time((timestamp(DCGM_FI_DEV_GPU_UTIL{cluster="east"}))[600s:15s])',
    ],
    [
      'nested',
      aggregate(
        'sum',
        ['cluster'],
        rangeFn('avg_over_time', selectorByNames(['a', 'b'], [oneOf('pod', ['p"1', 'p|2'])]), 300),
      ),
      'sum by (cluster) (avg_over_time({__name__=~"a|b", pod=~"p\\"1|p\\\\|2"}[300s]))',
    ],
  ];

  it.each(cases)('%s renders exactly', (_name, query, expected) => {
    expect(query).toBe(expected);
  });

  it.each(cases)('%s parses as PromQL', (_name, query) => {
    expectParses(query);
  });

  it('keeps a hostile label_replace replacement inside its literal', () => {
    const parsed = expectParses(labelReplace(sel, 'dst', 'a") or vector(1) #', 'src', '\\'));
    expect(parsed.count('FunctionCall')).toBe(1);
    expect(parsed.strings).toEqual(['east', 'dst', 'a") or vector(1) #', 'src', '\\']);
  });

  it.each([0, -1, 1.5, NaN, Infinity, 2 ** 60])('rejects window %p', (seconds) => {
    expectBadInput(() => rangeFn('avg_over_time', sel, seconds));
  });

  it.each(['Rate', 'rate;', 'rate(', '', 'a b'])('rejects function name %j', (name) => {
    expectBadInput(() => fn(name, sel));
  });

  it('rejects unsupported operators and modifiers', () => {
    expectBadInput(() => aggregate('topk' as never, [], sel));
    expectBadInput(() => binary(sel, '; drop' as never, sel));
    expectBadInput(() => binary(sel, '+', sel, { bool: true }));
    expectBadInput(() => binary(sel, 'and', sel, { group: 'left' }));
    expectBadInput(() => binary(sel, '/', sel, { on: ['a'], ignoring: ['b'] }));
    expectBadInput(() => binary(sel, '/', sel, { on: ['a-b'] }));
  });

  it('rejects empty name lists and matcher-less series selectors', () => {
    expectBadInput(() => selectorByNames([]));
    expectBadInput(() => seriesSelector([]));
  });
});
