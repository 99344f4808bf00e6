import { parser } from '@prometheus-io/lezer-promql';

export interface LabelMatch {
  readonly label: string;
  readonly op: string;
  /** The decoded string literal. */
  readonly value: string;
}

export interface SelectorInfo {
  /** The metric name, from the identifier or from a `__name__` matcher. */
  readonly metric: string;
  readonly matchers: readonly LabelMatch[];
  readonly text: string;
}

export interface InspectedQuery {
  readonly errors: readonly string[];
  readonly selectors: readonly SelectorInfo[];
  /** The query with every string literal blanked: what Prometheus reads as code, not data. */
  readonly code: string;
}

/** Parses a query the API sent to Prometheus with Prometheus' own grammar (lezer-promql). */
export function inspectPromQL(query: string): InspectedQuery {
  const errors: string[] = [];
  const selectors: SelectorInfo[] = [];
  let code = '';
  let last = 0;
  const tree = parser.parse(query);
  const cursor = tree.cursor();
  do {
    if (cursor.type.isError) errors.push(`${cursor.from}: ${query.slice(cursor.from, cursor.from + 40)}`);
    if (cursor.type.name === 'StringLiteral') {
      code += `${query.slice(last, cursor.from)}""`;
      last = cursor.to;
    }
    if (cursor.type.name === 'VectorSelector') selectors.push(selectorAt(query, cursor.node));
  } while (cursor.next());
  code += query.slice(last);
  return { errors, selectors, code };
}

type SyntaxNode = ReturnType<ReturnType<typeof parser.parse>['cursor']>['node'];

function selectorAt(query: string, node: SyntaxNode): SelectorInfo {
  const matchers: LabelMatch[] = [];
  let metric = '';
  const c = node.cursor();
  c.firstChild();
  do {
    if (c.type.name === 'Identifier') metric = query.slice(c.from, c.to);
    if (c.type.name === 'LabelMatchers') {
      const m = c.node.cursor();
      if (m.firstChild())
        do {
          if (m.type.name !== 'UnquotedLabelMatcher' && m.type.name !== 'QuotedLabelMatcher') continue;
          const label = m.node.getChild('LabelName');
          const op = m.node.getChild('MatchOp');
          const lit = m.node.getChild('StringLiteral');
          if (label && op && lit)
            matchers.push({
              label: query.slice(label.from, label.to),
              op: query.slice(op.from, op.to),
              value: unquote(query.slice(lit.from, lit.to)),
            });
        } while (m.nextSibling());
    }
  } while (c.nextSibling());
  const name = matchers.find((m) => m.label === '__name__');
  return { metric: metric || (name ? name.value : ''), matchers, text: query.slice(node.from, node.to) };
}

const ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\',
  '"': '"',
  "'": "'",
  n: '\n',
  r: '\r',
  t: '\t',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
};

/** Decodes a PromQL double-quoted literal (Go escapes; the builder emits only \\ \" \n \r). */
export function unquote(literal: string): string {
  let out = '';
  for (let i = 1; i < literal.length - 1; i++) {
    const ch = literal.charAt(i);
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const next = literal.charAt(++i);
    const decoded = ESCAPES[next];
    if (decoded === undefined) throw new Error(`unsupported escape \\${next} in ${literal.slice(0, 40)}`);
    out += decoded;
  }
  return out;
}
