/**
 * Issue 12 item 4: whose live heap is it? The production build serving the embedded simulated fleet of each size in
 * HEAP_SIZES runs under V8's sampling heap profiler from its first line (`--inspect-brk`, sampling started before the
 * process runs), then HEAP_CYCLES analysis cycles (each followed by the first `gpus` and `gpuScores` pages and a
 * /metrics scrape, as the scale bench does), then HEAP_SUBSCRIBERS graphql-ws subscribers on `analysisCompleted` and
 * one more cycle. After a full GC: RSS, live heap, peak RSS, and the live sampled bytes per owner — the innermost
 * project frame of each allocation's stack decides (GPU snapshot, quality, window aggregates, read models, the
 * embedded simulator, the analyzer…); allocations with no project frame count to the library they were made in.
 * With two sizes, bytes per GPU = (big − small) / (GPUs big − GPUs small), so the fixed part drops out.
 *
 * Env: BENCH_DIST (default dist), HEAP_SIZES (default 1000,50000), HEAP_CYCLES (3), HEAP_SUBSCRIBERS (1000),
 * HEAP_SAMPLING_BYTES (8192), HEAP_SNAPSHOT_DIR (writes a heap snapshot per size: load it in DevTools' Memory tab).
 * Run it alone: `flock /tmp/kcloud-bench.lock node -r ts-node/register/transpile-only -r tsconfig-paths/register
 * bench/heap-by-owner.ts`. Results go to bench/results/heap-by-owner.json.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../test/harness/free-port';
import { pollUntil } from '../test/harness/poll';
import { connectWs, type Subscription, type WsConnection } from '../test/harness/ws-client';
import { cpuMs, gql, statusKiB } from './api-probes';
import { scenarioOfSize } from './fleet-sizes';
import { type ApiProcess, startApi } from './graph-api';
import { Inspector } from './inspector';
import { median, record } from './lib';

const SIZES = (process.env.HEAP_SIZES ?? '1000,50000').split(',').map(Number);
const CYCLES = Number(process.env.HEAP_CYCLES ?? 3);
const SUBSCRIBERS = Number(process.env.HEAP_SUBSCRIBERS ?? 1000);
const SAMPLING_BYTES = Number(process.env.HEAP_SAMPLING_BYTES ?? 8192);

const TRIGGER = `mutation { triggerAnalysis { id } }`;
const COMPLETED = `subscription { analysisCompleted { run { id gpuCount changedCount }
  stats { total averageScore idleCount lowUtilizationCount byStatus { status count } byCluster { cluster count } } } }`;
const READS = [
  `{ gpuScores(first: 100, orderBy: SCORE_ASC) { totalCount edges { node { uuid score status } } } }`,
  `{ gpus(first: 100) { totalCount edges { node { uuid utilizationPercent score { score } } } } }`,
];

/** Owner of a project file (first match wins); the brief's five data-side owners first. */
const OWNERS: readonly [RegExp, string][] = [
  [
    /\/libs\/metrics-source\/src\/(shared\/simulated-readings|gpu-snapshot\/)/,
    'GPU snapshot (metrics-source)',
  ],
  [/\/libs\/metrics-source\/src\/quality\//, 'quality judgements (metrics-source)'],
  [/\/libs\/metrics-source\/src\/gpu-window\//, 'window aggregates (metrics-source)'],
  [/\/libs\/metrics-source\//, 'metrics-source: other'],
  [/\/libs\/common\/src\/read-model\//, 'read models (common)'],
  [/\/libs\/fleet-model\/|\/apps\/fleet-sim\//, 'embedded simulator (fleet-model)'],
  [/\/libs\/analyzer\/src\/(score-read-model|gpu-score-view)/, 'read models (analyzer)'],
  [/\/libs\/([^/]+)\//, 'lib: $1'],
  [/\/apps\/([^/]+)\//, 'app: $1'],
];

interface SamplingNode {
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly selfSize: number;
  readonly children: readonly SamplingNode[];
}

const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits;
const mib = (bytes: number) => round(bytes / 2 ** 20);
const loadAverage = (): string => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

function ownerOf(url: string): string | undefined {
  if (!/\/(libs|apps)\//.test(url) || url.includes('/node_modules/')) return undefined;
  for (const [re, name] of OWNERS) {
    const m = re.exec(url);
    if (m) return name.replace('$1', m[1] ?? '');
  }
  return undefined;
}

/** Live sampled bytes per owner and per project function (file:function:line), innermost project frame deciding. */
function byOwner(root: SamplingNode): { owners: Map<string, number>; functions: Map<string, number> } {
  const owners = new Map<string, number>();
  const functions = new Map<string, number>();
  const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  const stack: { node: SamplingNode; owner?: string; frame?: string }[] = [{ node: root }];
  while (stack.length) {
    const { node, owner: inherited, frame: inheritedFrame } = stack.pop()!;
    const { url, functionName, lineNumber } = node.callFrame;
    const own = ownerOf(url);
    const library = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
    const owner = own ?? inherited ?? (library ? `library: ${library}` : undefined);
    const frame = own
      ? `${url.replace(/^.*?\/(libs|apps)\//, '$1/')}:${functionName || '(anonymous)'}:${lineNumber + 1}`
      : inheritedFrame;
    if (node.selfSize) {
      add(owners, owner ?? 'node / builtins', node.selfSize);
      if (frame) add(functions, frame, node.selfSize);
    }
    for (const child of node.children) stack.push({ node: child, owner, frame });
  }
  return { owners, functions };
}

async function connectInspector(port: number): Promise<Inspector> {
  return pollUntil('the API to open its inspector', () => Inspector.connect(port).catch(() => undefined), {
    timeoutMs: 30_000,
    intervalMs: 100,
  });
}

/** One cycle as the scale bench runs it; the API's CPU time for the mutation alone and with the reads and scrape. */
async function cycle(
  api: ApiProcess,
  inspector: Inspector,
): Promise<{ cpuMs: number; withReadsCpuMs: number; run: number }> {
  const cpu0 = await cpuMs(inspector);
  const { triggerAnalysis } = await gql<{ triggerAnalysis: { id: number } }>(api, TRIGGER);
  const cpu1 = await cpuMs(inspector);
  await Promise.all(READS.map((q) => gql(api, q)));
  const res = await fetch(api.url.replace(/\/graphql$/, '/metrics'));
  await res.arrayBuffer();
  const cpu2 = await cpuMs(inspector);
  return { cpuMs: round(cpu1 - cpu0), withReadsCpuMs: round(cpu2 - cpu0), run: triggerAnalysis.id };
}

async function subscribeAll(api: ApiProcess): Promise<{ conn: WsConnection; sub: Subscription }[]> {
  const subs: { conn: WsConnection; sub: Subscription }[] = [];
  for (let i = 0; i < SUBSCRIBERS; i += 250) {
    const batch = Array.from({ length: Math.min(250, SUBSCRIBERS - i) }, () => {
      const conn = connectWs(api.url.replace(/\/graphql$/, ''));
      return { conn, sub: conn.subscribe(COMPLETED) };
    });
    await Promise.all(batch.map((b) => b.conn.connected));
    subs.push(...batch);
  }
  return subs;
}

async function measureSize(gpus: number) {
  const inspectPort = await freePort();
  const started = startApi(
    scenarioOfSize(gpus),
    {
      ANALYZER_INTERVAL_SECONDS: '3600',
      RESPONSE_CACHE_ENABLED: 'false',
      MAX_CONNECTIONS_PER_KEY: String(SUBSCRIBERS * 2 + 10),
      MAX_SUBSCRIPTIONS_PER_KEY: String(SUBSCRIBERS * 2 + 10),
    },
    [`--inspect-brk=127.0.0.1:${inspectPort}`],
  );
  const inspector = await connectInspector(inspectPort);
  await inspector.send('HeapProfiler.enable');
  await inspector.send('HeapProfiler.startSampling', { samplingInterval: SAMPLING_BYTES });
  await inspector.send('Runtime.runIfWaitingForDebugger');
  const api = await started;
  let subs: { conn: WsConnection; sub: Subscription }[] = [];
  try {
    process.stderr.write(`${gpus} GPUs: ${CYCLES} cycles\n`);
    const cycles = [];
    for (let c = 0; c < CYCLES; c++) {
      cycles.push(await cycle(api, inspector));
      process.stderr.write(`  ${JSON.stringify(cycles.at(-1))} load ${loadAverage()}\n`);
    }
    subs = await subscribeAll(api);
    const last = await cycle(api, inspector);
    await pollUntil(
      'every subscriber to receive the last cycle',
      async () =>
        subs.every((s) =>
          s.sub.events.some(
            (e) => (e.data?.analysisCompleted as { run?: { id: number } } | undefined)?.run?.id === last.run,
          ),
        ) || undefined,
      { timeoutMs: 180_000, intervalMs: 250 },
    );
    const rssMiB = mib(statusKiB(api.pid, 'VmRSS') * 1024);
    const liveHeapMiB = mib(await inspector.liveHeapBytes());
    const rssAfterGcMiB = mib(statusKiB(api.pid, 'VmRSS') * 1024);
    const peakRssMiB = mib(statusKiB(api.pid, 'VmHWM') * 1024);
    const { profile } = await inspector.send<{ profile: { head: SamplingNode } }>(
      'HeapProfiler.getSamplingProfile',
    );
    await inspector.send('HeapProfiler.stopSampling');
    if (process.env.HEAP_SNAPSHOT_DIR)
      await inspector.snapshotTo(join(process.env.HEAP_SNAPSHOT_DIR, `heap-${gpus}.heapsnapshot`));
    const { owners, functions } = byOwner(profile.head);
    return {
      gpus,
      subscribers: subs.length,
      loadAverage: loadAverage(),
      cpuMsPerCycleMedian: median(cycles.map((c) => c.cpuMs)),
      withReadsCpuMsPerCycleMedian: median(cycles.map((c) => c.withReadsCpuMs)),
      memory: { rssMiB, liveHeapMiB, rssAfterGcMiB, peakRssMiB },
      owners,
      functions,
    };
  } finally {
    await Promise.all(subs.map((s) => s.conn.dispose().catch(() => undefined)));
    inspector.close();
    await api.stop();
  }
}

type Size = Awaited<ReturnType<typeof measureSize>>;

/** Bytes per GPU between two sizes, largest first; keys with less than `min` bytes per GPU left out. */
function perGpu(big: Map<string, number>, small: Map<string, number>, gpus: number, min: number) {
  return Object.fromEntries(
    [...new Set([...big.keys(), ...small.keys()])]
      .map((k) => [k, round(((big.get(k) ?? 0) - (small.get(k) ?? 0)) / gpus)] as const)
      .filter(([, v]) => Math.abs(v) >= min)
      .sort((a, b) => b[1] - a[1]),
  );
}

const asMiB = (m: Map<string, number>, min: number) =>
  Object.fromEntries(
    [...m]
      .filter(([, v]) => v >= min * 2 ** 20)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => [k, mib(v)]),
  );

async function main(): Promise<void> {
  const loadAtStart = loadAverage();
  const sizes: Size[] = [];
  for (const gpus of SIZES) sizes.push(await measureSize(gpus));
  const [small, big] = [sizes[0], sizes.at(-1)];
  const span = big && small && big.gpus > small.gpus ? big.gpus - small.gpus : 0;
  record('heap-by-owner', {
    loadAtStart,
    loadAtEnd: loadAverage(),
    cycles: CYCLES,
    samplingBytes: SAMPLING_BYTES,
    sizes: sizes.map((s) => ({ ...s, owners: asMiB(s.owners, 0.5), functions: asMiB(s.functions, 1) })),
    bytesPerGpuByOwner: span ? perGpu(big!.owners, small!.owners, span, 5) : null,
    bytesPerGpuByFunction: span ? perGpu(big!.functions, small!.functions, span, 15) : null,
  });
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`${String(e instanceof Error ? e.stack : e)}\n`);
    process.exit(1);
  },
);
