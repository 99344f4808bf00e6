import { FleetModelError } from './errors';

/**
 * The wrong numbers real exporters sometimes serve, on demand per device and per family, so tests and demos show how
 * the API refuses them. Off by default: with no rule, every body is served exactly as rendered (goldens unchanged).
 *
 * Forms: DCGM's int64 blank as NVIDIA's documentation quotes it (0x7ffffffffffffff0 + 2, NOT_SUPPORTED), the int32
 * blank 0x7ffffff0, NVML's 0xFFFFFFFF, DCGM's FP64 blank 2^47 (printed `%f`, as dcgm-exporter prints doubles), a float
 * blank near 1e38, NaN, +Inf, and a physically impossible value (a temperature of 1000 °C, else a large negative).
 */
export const BLANK_FORMS = [
  'int64',
  'int32',
  'uint32',
  'fp64',
  'float-max',
  'nan',
  'inf',
  'impossible',
] as const;
export type BlankForm = (typeof BLANK_FORMS)[number];

const TEXT: Readonly<Record<Exclude<BlankForm, 'impossible'>, string>> = {
  int64: '9223372036854775794',
  int32: '2147483632',
  uint32: '4294967295',
  fp64: '140737488355328.000000',
  'float-max': '1.4e+38',
  nan: 'NaN',
  inf: '+Inf',
};

/** The exposition text of a form for a family. */
export function blankText(form: BlankForm, metric: string): string {
  if (form !== 'impossible') return TEXT[form];
  return /temp/i.test(metric) ? '1000' : '-100000';
}

/**
 * Which sample lines a rule rewrites: one family (`metric`, the exposition name) of one device. `uuid` matches the
 * UUID / uuid / gpu_uuid label (nvidia_gpu_exporter's spelling without `GPU-` too), `migInstanceId` the GPU_I_ID label,
 * `node` the scraped target's node (or the line's Hostname / hostname / node_name / instance label), `labels` any other
 * label exactly (an IPMI sensor's `name`, a Kepler `zone`).
 */
export interface BlankRule {
  readonly metric: string;
  readonly uuid?: string;
  readonly migInstanceId?: string;
  readonly node?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly form: BlankForm;
}

/** Where a body is served from: the node is known for per-node targets only. */
export interface BlankTarget {
  readonly cluster: string;
  readonly node?: string;
}

export class BlankReadings {
  private rules: BlankRule[] = [];

  /** Adds a rule, replacing one for the same family and device. */
  set(rule: BlankRule): void {
    if (!rule.metric) throw new FleetModelError('BAD_USER_INPUT', 'metric must be a non-empty string');
    if (!rule.uuid && !rule.node && !rule.labels)
      throw new FleetModelError('BAD_USER_INPUT', 'a blank rule needs a device: uuid, node or labels');
    if (!(BLANK_FORMS as readonly string[]).includes(rule.form))
      throw new FleetModelError('BAD_USER_INPUT', `value must be one of ${BLANK_FORMS.join(', ')}`);
    this.rules = [...this.rules.filter((r) => !sameDevice(r, rule)), rule];
  }

  /** Removes the rule for this family and device; without an argument, every rule. */
  clear(rule?: Omit<BlankRule, 'form'>): void {
    this.rules = rule ? this.rules.filter((r) => !sameDevice(r, rule)) : [];
  }

  list(): readonly BlankRule[] {
    return this.rules;
  }

  /**
   * The rule that would rewrite a family's line with these labels, if any: how an in-process reader of the model
   * (the API's simulated adapter) serves the same blanks the exposition does.
   */
  ruleFor(
    metric: string,
    labels: Readonly<Record<string, string>>,
    target: BlankTarget,
  ): BlankRule | undefined {
    return this.rules.find((r) => r.metric === metric && matches(r, labels, target));
  }

  /** The body with every matching sample's value replaced (timestamps kept); untouched when no rule is set. */
  apply(body: string, target: BlankTarget): string {
    if (this.rules.length === 0) return body;
    const metrics = new Set(this.rules.map((r) => r.metric));
    return body
      .split('\n')
      .map((line) => {
        if (line.startsWith('#') || line.length === 0) return line;
        const name = /^[^\s{]+/.exec(line)?.[0] ?? '';
        if (!metrics.has(name)) return line;
        const parsed = parseLine(line, name);
        if (!parsed) return line;
        const rule = this.rules.find((r) => r.metric === name && matches(r, parsed.labels, target));
        if (!rule) return line;
        return `${parsed.head} ${blankText(rule.form, name)}${parsed.timestamp ? ` ${parsed.timestamp}` : ''}`;
      })
      .join('\n');
  }
}

function sameDevice(a: Omit<BlankRule, 'form'>, b: Omit<BlankRule, 'form'>): boolean {
  return (
    a.metric === b.metric &&
    a.uuid === b.uuid &&
    a.migInstanceId === b.migInstanceId &&
    a.node === b.node &&
    JSON.stringify(a.labels ?? {}) === JSON.stringify(b.labels ?? {})
  );
}

const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"/g;

function parseLine(
  line: string,
  name: string,
): { head: string; labels: Record<string, string>; timestamp?: string } | undefined {
  let head = name;
  let rest = line.slice(name.length);
  const labels: Record<string, string> = {};
  if (rest.startsWith('{')) {
    const close = rest.lastIndexOf('}');
    if (close < 0) return undefined;
    const set = rest.slice(0, close + 1);
    for (const [, key, value] of set.matchAll(LABEL))
      if (key !== undefined && value !== undefined)
        labels[key] = value.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    head += set;
    rest = rest.slice(close + 1);
  }
  const [, timestamp] = rest.trim().split(/\s+/);
  return { head, labels, timestamp };
}

const fold = (uuid: string): string => uuid.replace(/^GPU-/i, '').toLowerCase();

function matches(rule: BlankRule, labels: Readonly<Record<string, string>>, target: BlankTarget): boolean {
  if (rule.uuid !== undefined) {
    const own = labels.UUID ?? labels.uuid ?? labels.gpu_uuid;
    if (own === undefined || fold(own) !== fold(rule.uuid)) return false;
  }
  if (rule.migInstanceId !== undefined && labels.GPU_I_ID !== rule.migInstanceId) return false;
  if (rule.node !== undefined) {
    const node =
      target.node ?? labels.Hostname ?? labels.hostname ?? labels.node_name ?? labels.instance ?? undefined;
    if (node !== rule.node) return false;
  }
  for (const [k, v] of Object.entries(rule.labels ?? {})) if (labels[k] !== v) return false;
  return true;
}
