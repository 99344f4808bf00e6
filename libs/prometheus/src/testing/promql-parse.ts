import { parser } from '@prometheus-io/lezer-promql';

/** What the PromQL grammar saw in a query: used by specs to prove builder output parses and values stay quoted. */
export interface ParsedPromQL {
  readonly errors: readonly string[];
  /** Node type names in document order. */
  readonly nodes: readonly string[];
  /** The decoded contents of every string literal, in document order. */
  readonly strings: readonly string[];
  count(nodeName: string): number;
}

// The CommonJS build of lezer-promql (package.json "exports".require) loads under ts-jest without transforms.
export function parsePromQL(query: string): ParsedPromQL {
  const nodes: string[] = [];
  const errors: string[] = [];
  const strings: string[] = [];
  const cursor = parser.parse(query).cursor();
  do {
    const text = query.slice(cursor.from, cursor.to);
    nodes.push(cursor.type.name);
    if (cursor.type.isError) errors.push(`${cursor.from}: ${text.slice(0, 40)}`);
    if (cursor.type.name === 'StringLiteral') strings.push(unquote(text));
  } while (cursor.next());
  return { errors, nodes, strings, count: (name) => nodes.filter((n) => n === name).length };
}

/** Decodes a double-quoted PromQL string with the escapes the builder emits (Go rules for `\\ \" \n \r`). */
export function unquote(literal: string): string {
  if (!literal.startsWith('"') || !literal.endsWith('"') || literal.length < 2)
    throw new Error(`not a double-quoted literal: ${literal.slice(0, 40)}`);
  const body = literal.slice(1, -1);
  const escapes: Record<string, string> = { '\\': '\\', '"': '"', n: '\n', r: '\r', t: '\t' };
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = body[++i];
    if (next === undefined || !(next in escapes)) throw new Error(`unexpected escape \\${next ?? ''}`);
    out += escapes[next];
  }
  return out;
}
