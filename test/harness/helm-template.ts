import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { parse as parseYaml, parseAllDocuments, stringify as toYamlText } from 'yaml';

/**
 * Renders a Helm chart the way `helm template` does, for the subset of Go templates and sprig the chart uses.
 *
 * Why hand-written: no npm package renders Helm charts. The Go text/template ports on the registry either carry no
 * function map (@evertdespiegeleer/go-template: Go's engine in WASM, no sprig, no `include`), support only
 * if/with/range (@ctrl/golang-template), or are not licensed for use (@mdfriday/text-template: UNLICENSED). So the
 * chart keeps to this subset, which follows Go's semantics: actions with `{{-`/`-}}` trimming and comments,
 * pipelines (the piped value is the last argument), `if/else if/else`, `with/else`, `range` over lists and maps
 * (maps in key order, as Go does), `define`/`include`/`template`, `$x :=`/`$x =`, short-circuit `and`/`or`, Go
 * truthiness, `.Files.Get/.Files.Glob`, and the functions in FUNCS. An unknown function fails at parse time as in Go.
 */

type Value = unknown;
type Arg =
  | { readonly k: 'lit'; readonly v: Value }
  | { readonly k: 'field'; readonly base: 'dot' | string; readonly path: readonly string[] }
  | { readonly k: 'fn'; readonly name: string }
  | { readonly k: 'pipe'; readonly pipe: Pipe };
interface Pipe {
  readonly decl?: { readonly vars: readonly string[]; readonly op: ':=' | '=' };
  readonly cmds: readonly (readonly Arg[])[];
}
type Node =
  | { readonly t: 'text'; readonly s: string }
  | { readonly t: 'action'; readonly pipe: Pipe }
  | { readonly t: 'if' | 'with'; readonly pipe: Pipe; readonly body: Node[]; readonly alt: Node[] }
  | { readonly t: 'range'; readonly pipe: Pipe; readonly body: Node[]; readonly alt: Node[] }
  | { readonly t: 'template'; readonly name: string; readonly pipe?: Pipe };

export class TemplateError extends Error {}

const TOKEN =
  /\s*(?:("(?:[^"\\]|\\.)*")|(`[^`]*`)|(-?\d+(?:\.\d+)?)(?![\w.])|(\$[\w]*(?:\.[\w]+)*)|((?:\.[\w]+)+|\.)|(:=|=|\||\(|\)|,)|([A-Za-z_]\w*))/y;

function tokenize(src: string, where: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < src.length) {
    if (/^\s*$/.test(src.slice(TOKEN.lastIndex))) break;
    const m = TOKEN.exec(src);
    if (!m) throw new TemplateError(`${where}: cannot read "${src.slice(TOKEN.lastIndex)}"`);
    out.push(m.slice(1).find((g) => g !== undefined) as string);
  }
  return out;
}

class Parser {
  private pos = 0;
  constructor(
    private readonly toks: readonly string[],
    private readonly where: string,
  ) {}

  pipeline(): Pipe {
    let decl: Pipe['decl'];
    const vars: string[] = [];
    let i = this.pos;
    for (let tok = this.toks[i]; tok?.startsWith('$') && !tok.includes('.'); tok = this.toks[i]) {
      vars.push(tok);
      if (this.toks[i + 1] === ',') i += 2;
      else break;
    }
    const op = this.toks[i + 1];
    if (vars.length && (op === ':=' || op === '=')) {
      decl = { vars, op };
      this.pos = i + 2;
    }
    let cmd: Arg[] = [];
    const cmds = [cmd];
    for (let t = this.toks[this.pos]; t !== undefined && t !== ')'; t = this.toks[this.pos]) {
      this.pos++;
      if (t === '|') cmds.push((cmd = []));
      else cmd.push(this.operand(t));
    }
    if (cmds.some((c) => !c.length)) throw new TemplateError(`${this.where}: empty command in pipeline`);
    return { decl, cmds };
  }

  done(): boolean {
    return this.pos >= this.toks.length;
  }

  private operand(t: string): Arg {
    if (t === '(') {
      const pipe = this.pipeline();
      if (this.toks[this.pos++] !== ')') throw new TemplateError(`${this.where}: unclosed (`);
      return { k: 'pipe', pipe };
    }
    if (t.startsWith('"')) return { k: 'lit', v: JSON.parse(t) as string };
    if (t.startsWith('`')) return { k: 'lit', v: t.slice(1, -1) };
    if (/^-?\d/.test(t)) return { k: 'lit', v: Number(t) };
    if (t === 'true' || t === 'false') return { k: 'lit', v: t === 'true' };
    if (t === 'nil') return { k: 'lit', v: null };
    if (t === '.') return { k: 'field', base: 'dot', path: [] };
    if (t.startsWith('.')) return { k: 'field', base: 'dot', path: t.slice(1).split('.') };
    if (t.startsWith('$')) {
      // split always yields at least one part.
      const [v, ...path] = t.split('.') as [string, ...string[]];
      return { k: 'field', base: v, path };
    }
    if (!Object.hasOwn(FUNCS, t) && !SPECIAL.has(t))
      throw new TemplateError(`${this.where}: function "${t}" not defined`);
    return { k: 'fn', name: t };
  }
}

/** Splits a template into nodes; `define` blocks go to `defines`. */
/** Index of the `}}` closing an action, skipping string literals and comments. */
function actionEnd(inner: string): number {
  let i = 0;
  if (inner.startsWith('/*')) i = inner.indexOf('*/') + 2;
  while (i < inner.length) {
    const c = inner[i];
    if (c === '"') {
      for (i++; i < inner.length && inner[i] !== '"'; i++) if (inner[i] === '\\') i++;
    } else if (c === '`') i = inner.indexOf('`', i + 1);
    else if (c === '}' && inner[i + 1] === '}') return i;
    if (i < 0) return -1;
    i++;
  }
  return -1;
}

function parseTemplate(src: string, name: string, defines: Map<string, Node[]>): Node[] {
  const parts: { text: string; action?: string }[] = [];
  let rest = src;
  for (;;) {
    const open = rest.indexOf('{{');
    if (open < 0) {
      parts.push({ text: rest });
      break;
    }
    let text = rest.slice(0, open);
    let inner = rest.slice(open + 2);
    if (inner.startsWith('- ') || inner.startsWith('-\n')) {
      text = text.replace(/\s+$/, '');
      inner = inner.slice(1);
    }
    const end = actionEnd(inner);
    if (end < 0) throw new TemplateError(`${name}: unclosed action`);
    let action = inner.slice(0, end);
    rest = inner.slice(end + 2);
    if (/\s-$/.test(action)) {
      action = action.slice(0, -1);
      rest = rest.replace(/^\s+/, '');
    }
    parts.push({ text, action: action.trim() });
  }
  const root: Node[] = [];
  let cur = root;
  // Each open block: where its `end` resumes, and where an `else` (or `else if`, a nested block closed by the same
  // `end`) continues.
  const frames: { parent: Node[]; onElse: (pipe?: Pipe, kind?: string) => Node[]; define?: string }[] = [];
  const chain = (frame: (typeof frames)[number], n: { body: Node[]; alt: Node[] }): Node[] => {
    frame.onElse = (pipe, kind) => {
      if (!pipe) return n.alt;
      const nested = { t: kind as 'if' | 'with', pipe, body: [] as Node[], alt: [] as Node[] };
      n.alt.push(nested);
      return chain(frame, nested);
    };
    return n.body;
  };
  for (const p of parts) {
    if (p.text) cur.push({ t: 'text', s: p.text });
    if (p.action === undefined || p.action.startsWith('/*')) continue;
    const toks = tokenize(p.action, name);
    const kw = toks[0];
    const nameArg = (): string => {
      if (toks[1] === undefined) throw new TemplateError(`${name}: ${kw} without a name`);
      return JSON.parse(toks[1]) as string;
    };
    const rest2 = (): Pipe => {
      const parser = new Parser(toks.slice(1), name);
      const pipe = parser.pipeline();
      if (!parser.done()) throw new TemplateError(`${name}: unexpected ) in ${p.action}`);
      return pipe;
    };
    if (kw === 'if' || kw === 'with' || kw === 'range') {
      const node = { t: kw as 'if' | 'with' | 'range', pipe: rest2(), body: [] as Node[], alt: [] as Node[] };
      cur.push(node as Node);
      const frame = { parent: cur, onElse: (): Node[] => node.alt };
      chain(frame, node);
      frames.push(frame);
      cur = node.body;
    } else if (kw === 'else') {
      const frame = frames[frames.length - 1];
      if (!frame) throw new TemplateError(`${name}: else without a block`);
      if (toks.length > 1) {
        const parser = new Parser(toks.slice(2), name);
        cur = frame.onElse(parser.pipeline(), toks[1]);
      } else cur = frame.onElse();
    } else if (kw === 'end') {
      const frame = frames.pop();
      if (!frame) throw new TemplateError(`${name}: end without a block`);
      if (frame.define !== undefined) defines.set(frame.define, cur);
      cur = frame.parent;
    } else if (kw === 'define') {
      const body: Node[] = [];
      frames.push({ parent: cur, onElse: () => body, define: nameArg() });
      cur = body;
    } else if (kw === 'template') {
      const parser = new Parser(toks.slice(2), name);
      cur.push({
        t: 'template',
        name: nameArg(),
        pipe: toks.length > 2 ? parser.pipeline() : undefined,
      });
    } else {
      const parser = new Parser(toks, name);
      const pipe = parser.pipeline();
      if (!parser.done()) throw new TemplateError(`${name}: unexpected ) in ${p.action}`);
      cur.push({ t: 'action', pipe });
    }
  }
  if (frames.length) throw new TemplateError(`${name}: missing end`);
  return root;
}

// ---------------------------------------------------------------- execution

export function truthy(v: Value): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

function str(v: Value): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object')
    return Array.isArray(v)
      ? `[${v.map(str).join(' ')}]`
      : `map[${Object.entries(v)
          .map(([k, x]) => `${k}:${str(x)}`)
          .join(' ')}]`;
  return String(v);
}

function num(v: Value): number {
  const n = typeof v === 'string' ? parseFloat(v) : Number(v ?? 0);
  return Number.isNaN(n) ? 0 : n;
}

function printf(fmt: string, ...args: Value[]): string {
  let i = 0;
  return fmt.replace(/%([sdvq%])/g, (_, c: string) => {
    if (c === '%') return '%';
    const a = args[i++];
    if (c === 'd') return String(Math.trunc(num(a)));
    if (c === 'q') return JSON.stringify(str(a));
    return str(a);
  });
}

const indentLines = (n: number, s: string): string =>
  s
    .split('\n')
    .map((l) => ' '.repeat(n) + l)
    .join('\n');

const FUNCS: Record<string, (...a: Value[]) => Value> = {
  default: (d, v) => (truthy(v) ? v : d),
  empty: (v) => !truthy(v),
  quote: (...a: Value[]) => a.map((v) => JSON.stringify(str(v))).join(' '),
  toString: (v: Value) => str(v),
  toYaml: (v) =>
    v === undefined || v === null ? 'null' : toYamlText(v, { lineWidth: 0 }).replace(/\n$/, ''),
  toJson: (v) => JSON.stringify(v ?? null),
  indent: (n, s) => indentLines(num(n), str(s)),
  nindent: (n, s) => '\n' + indentLines(num(n), str(s)),
  trunc: (n, s) => str(s).slice(0, num(n)),
  trimSuffix: (suf, s) =>
    str(s).endsWith(str(suf)) ? str(s).slice(0, -str(suf).length || undefined) : str(s),
  hasSuffix: (suf, s) => str(s).endsWith(str(suf)),
  contains: (sub, s) => str(s).includes(str(sub)),
  base: (p) => basename(str(p)),
  upper: (s) => str(s).toUpperCase(),
  lower: (s) => str(s).toLowerCase(),
  dict: (...kv) =>
    Object.fromEntries(Array.from({ length: kv.length / 2 }, (_, i) => [str(kv[2 * i]), kv[2 * i + 1]])),
  printf: (f, ...a) => printf(str(f), ...a),
  int: (v) => Math.trunc(num(v)),
  add: (...a) => a.reduce<number>((s, v) => s + num(v), 0),
  mul: (...a) => a.reduce<number>((s, v) => s * num(v), 1),
  div: (a, b) => Math.trunc(num(a) / num(b)),
  len: (v) => (Array.isArray(v) || typeof v === 'string' ? v.length : Object.keys(v ?? {}).length),
  eq: (a, ...bs) => bs.some((b) => a === b),
  ne: (a, b) => a !== b,
  lt: (a, b) => num(a) < num(b),
  le: (a, b) => num(a) <= num(b),
  gt: (a, b) => num(a) > num(b),
  ge: (a, b) => num(a) >= num(b),
  not: (v) => !truthy(v),
  fail: (m) => {
    throw new TemplateError(str(m));
  },
  required: (m, v) => {
    if (!truthy(v) && v !== false && v !== 0) throw new TemplateError(str(m));
    return v;
  },
};
/** Evaluated lazily (and/or short-circuit as in Go 1.18+) or needing the renderer (include). */
const SPECIAL = new Set(['and', 'or', 'include']);

interface Scope {
  readonly vars: Map<string, Value>;
  readonly up?: Scope;
}

class Renderer {
  constructor(private readonly defines: Map<string, Node[]>) {}

  run(nodes: readonly Node[], dot: Value, scope: Scope): string {
    let out = '';
    for (const n of nodes) {
      switch (n.t) {
        case 'text':
          out += n.s;
          break;
        case 'action': {
          const v = this.pipe(n.pipe, dot, scope);
          if (!n.pipe.decl) out += str(v);
          break;
        }
        case 'if':
        case 'with': {
          const inner: Scope = { vars: new Map(), up: scope };
          const v = this.pipe(n.pipe, dot, inner);
          if (truthy(v)) out += this.run(n.body, n.t === 'with' ? v : dot, inner);
          else out += this.run(n.alt, dot, { vars: new Map(), up: scope });
          break;
        }
        case 'range': {
          const inner: Scope = { vars: new Map(), up: scope };
          const v = this.pipe({ cmds: n.pipe.cmds }, dot, inner);
          const entries: [Value, Value][] = Array.isArray(v)
            ? v.map((x, i) => [i, x])
            : v && typeof v === 'object'
              ? Object.keys(v)
                  .sort()
                  .map((k) => [k, (v as Record<string, Value>)[k]])
              : [];
          if (!entries.length) out += this.run(n.alt, dot, inner);
          for (const [k, x] of entries) {
            const it: Scope = { vars: new Map(), up: scope };
            // `range $v := …` binds the element, `range $k, $v := …` the key too.
            const names = n.pipe.decl?.vars ?? [];
            const [keyVar, valueVar] = names.length === 2 ? names : [undefined, names[0]];
            if (keyVar !== undefined) it.vars.set(keyVar, k);
            if (valueVar !== undefined) it.vars.set(valueVar, x);
            out += this.run(n.body, x, it);
          }
          break;
        }
        case 'template':
          out += this.include(n.name, n.pipe ? this.pipe(n.pipe, dot, scope) : undefined);
          break;
      }
    }
    return out;
  }

  include(name: string, dot: Value): string {
    const body = this.defines.get(name);
    if (!body) throw new TemplateError(`no template "${name}"`);
    return this.run(body, dot, { vars: new Map([['$', dot]]) });
  }

  private pipe(p: Pipe, dot: Value, scope: Scope): Value {
    let v: Value;
    p.cmds.forEach((cmd, i) => {
      v = this.command(cmd, dot, scope, i === 0 ? [] : [v]);
    });
    if (p.decl) {
      // The parser declares only when it read at least one variable.
      const name = p.decl.vars[0]!;
      if (p.decl.op === ':=') scope.vars.set(name, v);
      else {
        let s: Scope | undefined = scope;
        while (s && !s.vars.has(name)) s = s.up;
        if (!s) throw new TemplateError(`undefined variable ${name}`);
        s.vars.set(name, v);
      }
    }
    return v;
  }

  private command(cmd: readonly Arg[], dot: Value, scope: Scope, piped: Value[]): Value {
    const [head, ...rest] = cmd;
    if (!head) throw new TemplateError('empty command');
    if (head.k === 'fn') {
      if (head.name === 'and' || head.name === 'or') {
        const lazy = [...rest.map((a) => () => this.arg(a, dot, scope)), ...piped.map((x) => () => x)];
        let last: Value;
        for (const f of lazy) {
          last = f();
          if (head.name === 'and' ? !truthy(last) : truthy(last)) return last;
        }
        return last;
      }
      const args = [...rest.map((a) => this.arg(a, dot, scope)), ...piped];
      if (head.name === 'include') return this.include(str(args[0]), args[1]);
      const fn = FUNCS[head.name];
      if (!fn) throw new TemplateError(`function "${head.name}" not defined`);
      return fn(...args);
    }
    const v = this.arg(head, dot, scope, true);
    if (typeof v === 'function') {
      return (v as (...a: Value[]) => Value)(...rest.map((a) => this.arg(a, dot, scope)), ...piped);
    }
    if (rest.length || piped.length) throw new TemplateError(`can't give arguments to a non-function`);
    return v;
  }

  private arg(a: Arg, dot: Value, scope: Scope, head = false): Value {
    switch (a.k) {
      case 'lit':
        return a.v;
      case 'pipe':
        return this.pipe(a.pipe, dot, scope);
      case 'fn':
        return this.command([a], dot, scope, []);
      case 'field': {
        let v: Value;
        if (a.base === 'dot') v = dot;
        else {
          let s: Scope | undefined = scope;
          while (s && !s.vars.has(a.base)) s = s.up;
          if (!s) throw new TemplateError(`undefined variable ${a.base}`);
          v = s.vars.get(a.base);
        }
        for (const key of a.path) {
          if (v === null || v === undefined) return undefined;
          if (typeof v !== 'object') throw new TemplateError(`can't evaluate field ${key} in ${typeof v}`);
          const next = (v as Record<string, Value>)[key];
          v = typeof next === 'function' && !head ? (next as () => Value)() : next;
        }
        return v;
      }
    }
  }
}

// ---------------------------------------------------------------- chart

export interface RenderedChart {
  /** Every Kubernetes object, in template file order. */
  readonly objects: readonly Record<string, unknown>[];
  readonly notes: string;
  readonly values: Record<string, unknown>;
}

export type Values = Record<string, unknown>;

/** Helm's coalescing: maps merge key by key, anything else replaces; null removes the key. */
export function mergeValues(base: Values, over: Values): Values {
  const out: Values = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    if (v === null) delete out[k];
    else if (isMap(v) && isMap(b)) out[k] = mergeValues(b, v);
    else out[k] = v;
  }
  return out;
}
const isMap = (v: unknown): v is Values => typeof v === 'object' && v !== null && !Array.isArray(v);

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/**
 * `helm template <release> <chartDir> -f each override…`. `checkValues` sees the merged values before any template
 * runs, where Helm checks values.schema.json.
 */
export function renderChart(
  chartDir: string,
  overrides: readonly Values[] = [],
  checkValues: (values: Values) => void = () => undefined,
  release: { name: string; namespace: string } = { name: 'kcloud-monitor', namespace: 'monitoring' },
): RenderedChart {
  const chart = parseYaml(readFileSync(join(chartDir, 'Chart.yaml'), 'utf8')) as Record<string, string>;
  const defaults = (parseYaml(readFileSync(join(chartDir, 'values.yaml'), 'utf8')) ?? {}) as Values;
  const values = overrides.reduce(mergeValues, defaults);
  checkValues(values);
  const all = listFiles(chartDir).map((f) => relative(chartDir, f));
  const glob = (pattern: string): Record<string, string> => {
    const re = new RegExp(`^${pattern.replace(/\./g, '\\.').replace(/\*/g, '[^/]*')}$`);
    return Object.fromEntries(
      all.filter((f) => re.test(f)).map((f) => [f, readFileSync(join(chartDir, f), 'utf8')]),
    );
  };
  const files = {
    Get: (p: Value) => readFileSync(join(chartDir, str(p)), 'utf8'),
    Glob: (p: Value) => glob(str(p)),
  };
  const templates = all.filter((f) => f.startsWith('templates/')).sort();
  const defines = new Map<string, Node[]>();
  const parsed = templates.map((f) => ({
    f,
    nodes: parseTemplate(readFileSync(join(chartDir, f), 'utf8'), f, defines),
  }));
  const renderer = new Renderer(defines);
  const objects: Record<string, unknown>[] = [];
  let notes = '';
  for (const { f, nodes } of parsed) {
    if (basename(f).startsWith('_')) continue;
    const top = {
      Values: values,
      Chart: { Name: chart.name, Version: chart.version, AppVersion: chart.appVersion },
      Release: { Name: release.name, Namespace: release.namespace, Service: 'Helm', IsInstall: true },
      Files: files,
      Template: { Name: `${chart.name}/${f}` },
    };
    let text: string;
    try {
      text = renderer.run(nodes, top, { vars: new Map([['$', top]]) });
    } catch (e) {
      throw new TemplateError(`${f}: ${(e as Error).message}`);
    }
    if (f.endsWith('NOTES.txt')) {
      notes = text;
      continue;
    }
    for (const doc of parseAllDocuments(text)) {
      if (doc.errors.length)
        throw new TemplateError(
          `${f}: invalid YAML: ${doc.errors.map((e) => e.message).join('; ')}\n${text}`,
        );
      const obj = doc.toJS() as Record<string, unknown> | null;
      if (obj) objects.push(obj);
    }
  }
  return { objects, notes, values };
}
