import { DomainError, ErrorCode } from '@kcloud/common';

/**
 * Label matchers and the escaping rules behind them. Every user-supplied label value reaches PromQL through
 * `renderMatcher`, which puts it inside exactly one double-quoted string literal.
 */
export type MatchOp = '=' | '!=' | '=~' | '!~';

export interface Matcher {
  readonly label: string;
  readonly op: MatchOp;
  readonly value: string;
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
// Go's regexp.QuoteMeta set: the characters RE2 gives a meaning outside a character class.
const RE2_META = /[\\.+*?()|[\]{}^$]/g;

/**
 * A regex that matches no string at all, the empty string included. Prometheus anchors regexes
 * (`^(?s:…)$`) and compares absent labels as "", so `$^` or `^$` would select every series WITHOUT the label.
 * `[^\s\S]` demands exactly one character that is neither whitespace nor non-whitespace: impossible in RE2
 * (and in JS, which the tests use as a stand-in), and Prometheus' FastRegexMatcher has no shortcut for an empty
 * character class, so it runs the real regex.
 */
export const MATCH_NOTHING_REGEX = '[^\\s\\S]';

export function assertLabelName(name: string, argument = 'label'): string {
  if (!LABEL_NAME.test(name))
    throw badName(argument, `'${preview(name)}' is not a valid Prometheus label name`);
  return name;
}

export function assertMetricName(name: string, argument = 'metric'): string {
  if (!METRIC_NAME.test(name))
    throw badName(argument, `'${preview(name)}' is not a valid Prometheus metric name`);
  return name;
}

/** Escapes text for a double-quoted PromQL string literal: backslash first, then the quote, then newlines. */
export function escapeLabelValue(value: string): string {
  // \r is escaped too: it is legal inside a Go string literal only as an escape.
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

/** Makes a literal value safe inside an RE2 regex (the same set Go's regexp.QuoteMeta escapes). */
export function escapeRegex(value: string): string {
  return value.replace(RE2_META, '\\$&');
}

export const eq = (label: string, value: string): Matcher => matcher(label, '=', value);
export const ne = (label: string, value: string): Matcher => matcher(label, '!=', value);
/** `value` is a regex written by the caller (trusted code); use `oneOf` for user-supplied values. */
export const re = (label: string, value: string): Matcher => matcher(label, '=~', value);
export const nre = (label: string, value: string): Matcher => matcher(label, '!~', value);

/**
 * `label` equals one of `values`, each matched literally. An empty list matches nothing (see MATCH_NOTHING_REGEX):
 * a filter narrowed to nothing must return nothing, never everything.
 */
export function oneOf(label: string, values: readonly string[]): Matcher {
  if (values.length === 0) return matcher(label, '=~', MATCH_NOTHING_REGEX);
  return matcher(label, '=~', [...new Set(values)].map(escapeRegex).join('|'));
}

export function renderMatcher(m: Matcher): string {
  assertLabelName(m.label);
  return `${m.label}${m.op}"${escapeLabelValue(m.value)}"`;
}

function matcher(label: string, op: MatchOp, value: string): Matcher {
  return { label: assertLabelName(label), op, value };
}

function badName(argument: string, message: string): DomainError {
  return new DomainError(ErrorCode.BAD_USER_INPUT, message, { argument });
}

// Error messages must stay short even when a 10 kB hostile string is passed.
function preview(text: string): string {
  return text.length > 64 ? `${text.slice(0, 64)}…` : text;
}
