import { basename } from 'node:path';

/** The parts of a V8 CPU profile (Profiler.stop, or a --cpu-prof file) read here. */
export interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
    readonly children?: readonly number[];
  }[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Which part of the API a source file belongs to; undefined for code that is nobody's phase (libraries, Node). */
const PHASES: readonly [RegExp, string][] = [
  [/\/apps\/fleet-sim\/|\/libs\/fleet-model\//, 'source: simulated fleet'],
  [/\/libs\/metrics-source\//, 'source: window aggregates (metrics-source)'],
  [/\/libs\/analyzer\/src\/(scoring|cycle|activity)\//, 'analyzer: join, score, diff, activity'],
  [/\/libs\/analyzer\/src\/idle\//, 'analyzer: idle ledger'],
  [/\/libs\/analyzer\/src\/export\/|\/prom-client\//, 'metrics (score gauges)'],
  [
    /\/libs\/common\/src\/read-model\/|\/libs\/analyzer\/src\/(score-read-model|gpu-score-view)/,
    'read models',
  ],
  [/\/libs\/accelerators\//, 'accelerators (gpus read path)'],
  [
    /\/libs\/realtime\/|\/libs\/analyzer\/src\/(score-subscriptions|score-change-index)/,
    'events and fan-out',
  ],
  [/\/libs\/analyzer\//, 'analyzer: other'],
];

function ownPhase(url: string, functionName: string): string | undefined {
  if (functionName === '(garbage collector)') return 'garbage collector';
  if (functionName === '(idle)') return 'idle';
  return PHASES.find(([re]) => re.test(url))?.[1];
}

/**
 * Self time of a profile per phase, in ms: a frame in a project file counts to its phase; any other frame (Node,
 * libraries, builtins such as Array.prototype.sort) to the phase of its nearest project caller, else to the library
 * it is in. Also the project functions with the most time of their own, counting the library and builtin frames they
 * call (file:function:line).
 */
export function phasesOf(profile: CpuProfile): {
  phasesMs: Record<string, number>;
  topFunctionsMs: Record<string, number>;
} {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const phaseOf = new Map<number, string>();
  const frameOf = new Map<number, string>();
  const visit = (id: number, inherited?: { phase: string; frame: string }) => {
    const node = byId.get(id)!;
    const { url, functionName, lineNumber } = node.callFrame;
    const library = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
    const phase = ownPhase(url, functionName);
    const own =
      phase && !functionName.startsWith('(')
        ? { phase, frame: `${basename(url)}:${functionName || '(anonymous)'}:${lineNumber + 1}` }
        : undefined;
    phaseOf.set(id, phase ?? inherited?.phase ?? (library ? `library: ${library}` : functionName || 'node'));
    const frame = own?.frame ?? inherited?.frame;
    if (frame) frameOf.set(id, frame);
    for (const child of node.children ?? []) visit(child, own ?? inherited);
  };
  const childIds = new Set(profile.nodes.flatMap((n) => n.children ?? []));
  for (const n of profile.nodes) if (!childIds.has(n.id)) visit(n.id);
  const phasesMs: Record<string, number> = {};
  const functionsMs: Record<string, number> = {};
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    const phase = phaseOf.get(id)!;
    phasesMs[phase] = (phasesMs[phase] ?? 0) + ms;
    const frame = frameOf.get(id);
    if (frame) functionsMs[frame] = (functionsMs[frame] ?? 0) + ms;
  });
  const top = Object.entries(functionsMs)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 15);
  return { phasesMs, topFunctionsMs: Object.fromEntries(top) };
}
