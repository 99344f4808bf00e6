import { DomainError, ErrorCode } from '@kcloud/common';
import {
  assertLabelName,
  assertMetricName,
  escapeLabelValue,
  escapeRegex,
  type Matcher,
  renderMatcher,
} from './matchers';

/**
 * PromQL text that came out of this builder. The brand makes the compiler refuse hand-written strings where a
 * query is expected (PrometheusClient takes only `PromQL`), so every value in a query has passed the escaping here.
 */
declare const promqlBrand: unique symbol;
export type PromQL = string & { readonly [promqlBrand]: true };

export type AggregateOp = 'avg' | 'sum' | 'max' | 'min' | 'count';
export type BinaryOp =
  | '+'
  | '-'
  | '*'
  | '/'
  | '%'
  | '^'
  | '=='
  | '!='
  | '>'
  | '<'
  | '>='
  | '<='
  | 'and'
  | 'or'
  | 'unless';

/** Vector matching for `binary`: `on`/`ignoring` label lists, an optional group_left/right with extra labels. */
export interface VectorMatching {
  readonly on?: readonly string[];
  readonly ignoring?: readonly string[];
  readonly group?: 'left' | 'right';
  readonly include?: readonly string[];
  /** Comparison operators return 0/1 instead of filtering. */
  readonly bool?: boolean;
}

const FUNCTION_NAME = /^[a-z_][a-z0-9_]*$/;
const COMPARISON: ReadonlySet<BinaryOp> = new Set(['==', '!=', '>', '<', '>=', '<=']);
const SET_OPS: ReadonlySet<BinaryOp> = new Set(['and', 'or', 'unless']);

const promql = (text: string): PromQL => text as PromQL;

/** `metric{m1, m2}`; the metric name is validated, never escaped (names cannot be quoted in classic PromQL). */
export function selector(metric: string, matchers: readonly Matcher[] = []): PromQL {
  assertMetricName(metric);
  return promql(matchers.length ? `${metric}{${matchers.map(renderMatcher).join(', ')}}` : metric);
}

/** One selector for several metric families: `{__name__=~"a|b|c", m…}` (one query instead of one per metric). */
export function selectorByNames(names: readonly string[], matchers: readonly Matcher[] = []): PromQL {
  if (names.length === 0) throw bad('names', 'selectorByNames needs at least one metric name');
  const alternatives = [...new Set(names)].map((n) => escapeRegex(assertMetricName(n, 'names'))).join('|');
  return seriesSelector([{ label: '__name__', op: '=~', value: alternatives }, ...matchers]);
}

/** `{m1, m2}` without a metric name, e.g. for the `match[]` of label-values calls. */
export function seriesSelector(matchers: readonly Matcher[]): PromQL {
  if (matchers.length === 0)
    throw bad('matchers', 'a selector without a metric name needs at least one matcher');
  return promql(`{${matchers.map(renderMatcher).join(', ')}}`);
}

/** `name(selector[<n>s])`, e.g. `avg_over_time(x[600s])`. The window is whole seconds, at least 1. */
export function rangeFn(name: string, selectorText: PromQL, windowSeconds: number): PromQL {
  return fn(name, promql(`${selectorText}[${windowDuration(windowSeconds)}]`));
}

/** The newest sample of each series within the window: the usual "current value" with a lookback we choose. */
export function lastOverTime(selectorText: PromQL, windowSeconds: number): PromQL {
  return rangeFn('last_over_time', selectorText, windowSeconds);
}

/** `selector offset <n>s`: the same selector read `seconds` in the past (whole seconds, at least 1). */
export function offset(selectorText: PromQL, seconds: number): PromQL {
  return promql(`${selectorText} offset ${windowDuration(seconds)}`);
}

/** `name((expr)[<w>s:<s>s])`: a range function over an expression evaluated every `stepSeconds` (a subquery). */
export function subqueryFn(name: string, expr: PromQL, windowSeconds: number, stepSeconds: number): PromQL {
  return fn(name, promql(`(${expr})[${windowDuration(windowSeconds)}:${windowDuration(stepSeconds)}]`));
}

/** `op by (l1, l2) (expr)`; with no labels, `op(expr)`. */
export function aggregate(op: AggregateOp, by: readonly string[], expr: PromQL): PromQL {
  if (!AGGREGATE_OPS.has(op)) throw bad('op', `unsupported aggregation '${String(op)}'`);
  const grouping = by.length ? ` by (${by.map((l) => assertLabelName(l, 'by')).join(', ')})` : '';
  return promql(`${op}${grouping} (${expr})`);
}

/** A function call; arguments are builder output or numbers (rendered as PromQL number literals). */
export function fn(name: string, ...args: readonly (PromQL | number)[]): PromQL {
  if (!FUNCTION_NAME.test(name)) throw bad('fn', `'${name.slice(0, 64)}' is not a PromQL function name`);
  return promql(`${name}(${args.map((a) => (typeof a === 'number' ? num(a) : a)).join(', ')})`);
}

/** A number literal; NaN and ±Inf use PromQL's spelling. */
export function num(value: number): PromQL {
  if (Number.isNaN(value)) return promql('NaN');
  if (value === Infinity) return promql('+Inf');
  if (value === -Infinity) return promql('-Inf');
  return promql(String(value));
}

/** A string literal argument (escaped), e.g. for `label_join` or `count_values`. */
export function str(value: string): PromQL {
  return promql(`"${escapeLabelValue(value)}"`);
}

/** `label_replace(expr, "dst", "replacement", "src", "regex")`; label names validated, strings escaped. */
export function labelReplace(
  expr: PromQL,
  dst: string,
  replacement: string,
  src: string,
  regex: string,
): PromQL {
  assertLabelName(dst, 'dst');
  assertLabelName(src, 'src');
  return fn('label_replace', expr, str(dst), str(replacement), str(src), str(regex));
}

/** `(a) or (b)`: the union, left side winning on equal label sets. */
export function or(a: PromQL, b: PromQL): PromQL {
  return binary(a, 'or', b);
}

/** `(a) op [bool] [on|ignoring (…)] [group_left|group_right (…)] (b)`; both sides parenthesised, so precedence never surprises. */
export function binary(a: PromQL, op: BinaryOp, b: PromQL, matching: VectorMatching = {}): PromQL {
  if (!BINARY_OPS.has(op)) throw bad('op', `unsupported operator '${String(op)}'`);
  const parts: string[] = [op];
  if (matching.bool) {
    if (!COMPARISON.has(op)) throw bad('bool', 'bool applies only to comparison operators');
    parts.push('bool');
  }
  if (matching.on && matching.ignoring) throw bad('matching', 'use either on or ignoring, not both');
  if (matching.on) parts.push(`on (${labelList(matching.on)})`);
  if (matching.ignoring) parts.push(`ignoring (${labelList(matching.ignoring)})`);
  if (matching.group) {
    if (SET_OPS.has(op)) throw bad('group', 'group_left/group_right do not apply to set operators');
    parts.push(`group_${matching.group} (${labelList(matching.include ?? [])})`);
  }
  return promql(`(${a}) ${parts.join(' ')} (${b})`);
}

const AGGREGATE_OPS: ReadonlySet<string> = new Set<AggregateOp>(['avg', 'sum', 'max', 'min', 'count']);
const BINARY_OPS: ReadonlySet<string> = new Set<BinaryOp>([
  '+',
  '-',
  '*',
  '/',
  '%',
  '^',
  '==',
  '!=',
  '>',
  '<',
  '>=',
  '<=',
  'and',
  'or',
  'unless',
]);

function labelList(labels: readonly string[]): string {
  return labels.map((l) => assertLabelName(l, 'matching')).join(', ');
}

function windowDuration(seconds: number): string {
  if (!Number.isSafeInteger(seconds) || seconds < 1)
    throw bad('windowSeconds', 'window must be a whole number of seconds, at least 1');
  return `${seconds}s`;
}

function bad(argument: string, message: string): DomainError {
  return new DomainError(ErrorCode.BAD_USER_INPUT, message, { argument });
}
