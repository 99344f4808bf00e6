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
  // No prototype: a frame may be named toString or constructor.
  const phasesMs: Record<string, number> = Object.create(null) as Record<string, number>;
  const functionsMs: Record<string, number> = Object.create(null) as Record<string, number>;
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

/** The parts of a V8 sampling heap profile (HeapProfiler.getSamplingProfile) read here. */
export interface HeapProfileNode {
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly selfSize: number;
  readonly children: readonly HeapProfileNode[];
}

/**
 * Live bytes of a sampling heap profile by allocation site: each sample's bytes go to its nearest project frame
 * (file:function:line, a source file under apps/ or libs/) or else to the library it was allocated in, and to that
 * frame's phase. MiB, largest first.
 */
export function heapByAllocationSite(
  head: HeapProfileNode,
  top = 25,
): { phasesMiB: Record<string, number>; sitesMiB: Record<string, number> } {
  // No prototype: a frame may be named toString or constructor.
  const phases: Record<string, number> = Object.create(null) as Record<string, number>;
  const sites: Record<string, number> = Object.create(null) as Record<string, number>;
  const visit = (node: HeapProfileNode, inherited?: { phase: string; frame: string }) => {
    const { url, functionName, lineNumber } = node.callFrame;
    const library = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
    const phase = ownPhase(url, functionName);
    const own = /\/(apps|libs)\//.test(url)
      ? {
          phase: phase ?? 'other project code',
          frame: `${url.replace(/^.*\/(apps|libs)\//, '$1/')}:${functionName || '(anonymous)'}:${lineNumber + 1}`,
        }
      : undefined;
    const at = own ?? inherited ?? (library ? { phase: `library: ${library}`, frame: library } : undefined);
    if (node.selfSize) {
      const p = at?.phase ?? 'node';
      const f = at?.frame ?? (functionName || '(node)');
      phases[p] = (phases[p] ?? 0) + node.selfSize;
      sites[f] = (sites[f] ?? 0) + node.selfSize;
    }
    for (const child of node.children) visit(child, own ?? inherited);
  };
  visit(head);
  const mib = (o: Record<string, number>, n: number) =>
    Object.fromEntries(
      Object.entries(o)
        .sort((a, b) => b[1] - a[1])
        .slice(0, n)
        .map(([k, v]) => [k, Math.round((v / 2 ** 20) * 10) / 10]),
    );
  return { phasesMiB: mib(phases, 50), sitesMiB: mib(sites, top) };
}
