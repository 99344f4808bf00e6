/**
 * Subscription fan-out: N graphql-ws subscribers on `analysisCompleted` of the API's production build (NODE_ENV=production,
 * AUTH_MODE=off, the embedded simulated fleet), cycles triggered by the `triggerAnalysis` mutation; in the same run
 * and interleaved cycle by cycle, a bare graphql-ws server (bench/fanout-bare.ts) with the same payload as the ceiling.
 * Per level: publish → receipt p50/p99 per subscriber (publish = the event's `run.completedAt`; the bare server stamps
 * it when it publishes; for the API the moment EventTopics handed the event to its subscribers, read from
 * kcloud_realtime_last_event_timestamp_seconds — `run.completedAt` precedes it by the cycle's install work, reported
 * apart as fromCompletedAtP99Ms), events lost, RSS per subscriber (RSS delta / N). At the top level a mix of gpuScoreChanged
 * subscribers with filters is added and two more cycles run. Loopback only; every wait has a deadline.
 *
 * Env: FANOUT_API_ROOT (a built checkout holding dist/, default this one), FANOUT_LEVELS (default 1000,5000),
 * FANOUT_CYCLES (default 5), FANOUT_SCENARIO (default bench-10k), FANOUT_API_NODE_FLAGS (e.g. --cpu-prof).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { freePort } from '../test/harness/free-port';
import { Inspector } from './inspector';
import { pollUntil } from '../test/harness/poll';
import { median, record } from './lib';

const ROOT = join(__dirname, '..');
const API_ROOT = process.env.FANOUT_API_ROOT ?? ROOT;
const LEVELS = (process.env.FANOUT_LEVELS ?? '1000,5000').split(',').map(Number);
const CYCLES = Number(process.env.FANOUT_CYCLES ?? 5);
const SCENARIO = process.env.FANOUT_SCENARIO ?? join(ROOT, 'libs/fleet-model/scenarios/bench-10k.yaml');
const MIX = 500;
const CONNECT_BATCH = 250;

const COMPLETED = `subscription { analysisCompleted { durationSeconds
  run { id trigger startedAt completedAt durationSeconds gpuCount changedCount failedClusters joined error }
  stats { total averageScore minScore maxScore idleCount lowUtilizationCount computedAt
    byStatus { status count } byCluster { cluster count lowCount averageScore stale }
    byNamespace { namespace count lowCount averageScore } } } }`;
const CHANGED = `subscription($filter: GpuScoreChangedFilterInput) {
  gpuScoreChanged(filter: $filter, minDelta: 1) { kind scoreDelta gpu { gpuId cluster namespace status score } } }`;

/** Events a subscriber received twice (must stay 0). */
let duplicates = 0;

const nowMs = (): number => performance.timeOrigin + performance.now();

/** One subscriber: a raw graphql-transport-ws socket (no client library overhead in the measurement). */
class Subscriber {
  /** run id → receipt time (ms since epoch, sub-ms) and the event's publish time. */
  readonly runs = new Map<number, { at: number; publishedAt: number }>();
  changes = 0;
  private constructor(readonly socket: WebSocket) {}

  static open(url: string, query: string, variables: Record<string, unknown> = {}): Promise<Subscriber> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, 'graphql-transport-ws');
      const sub = new Subscriber(socket);
      const timer = setTimeout(() => reject(new Error('connect timeout')), 30_000);
      socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: {} })));
      socket.on('error', reject);
      socket.on('message', (data: Buffer) => {
        const at = nowMs();
        const msg = JSON.parse(data.toString()) as {
          type: string;
          payload?: { data?: Record<string, unknown> };
        };
        if (msg.type === 'connection_ack') {
          socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query, variables } }));
          clearTimeout(timer);
          resolve(sub);
        } else if (msg.type === 'next') {
          const done = msg.payload?.data?.analysisCompleted as
            | { run: { id: number; completedAt: string } }
            | undefined;
          if (done && sub.runs.has(done.run.id)) duplicates++;
          else if (done) sub.runs.set(done.run.id, { at, publishedAt: Date.parse(done.run.completedAt) });
          else sub.changes++;
        } else if (msg.type === 'error') reject(new Error(JSON.stringify(msg.payload)));
      });
    });
  }
}

async function openMany(
  url: string,
  n: number,
  query: string,
  vars?: (i: number) => Record<string, unknown>,
) {
  const out: Subscriber[] = [];
  for (let i = 0; i < n; i += CONNECT_BATCH)
    out.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(CONNECT_BATCH, n - i) }, (_, j) =>
          Subscriber.open(url, query, vars?.(i + j)),
        ),
      )),
    );
  return out;
}

function rssKiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(line?.replace(/\D+/g, '') ?? 0);
}

const pct = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const round = (v: number, digits = 1): number => Math.round(v * 10 ** digits) / 10 ** digits;

interface CycleFigures {
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Latency of the first receipt: what precedes fan-out (for the API, the cycle's work after `completedAt`). */
  readonly firstMs: number;
  /** p99 measured from the event's `run.completedAt` (includes the API's work between completing and publishing). */
  readonly fromCompletedAtP99Ms: number;
  readonly lost: number;
}

async function awaitRun(
  subs: readonly Subscriber[],
  id: number,
  publishedAt?: () => Promise<number | undefined>,
): Promise<CycleFigures> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && subs.some((s) => !s.runs.has(id)))
    await new Promise((r) => setTimeout(r, 20));
  // A late duplicate or straggler would show here; lost ones are counted, not waited for forever.
  const got = subs.map((s) => s.runs.get(id)).filter((r) => r !== undefined);
  const lat = got.map((r) => r.at - r.publishedAt).sort((a, b) => a - b);
  // The API's own publish moment (EventTopics' gauge); `run.completedAt` precedes it by the cycle's install work.
  const published = await publishedAt?.();
  const fromPublish = published === undefined ? lat : got.map((r) => r.at - published).sort((a, b) => a - b);
  return {
    p50Ms: round(pct(fromPublish, 50)),
    p99Ms: round(pct(fromPublish, 99)),
    maxMs: round(fromPublish.at(-1) ?? NaN),
    firstMs: round(fromPublish[0] ?? NaN),
    fromCompletedAtP99Ms: round(pct(lat, 99)),
    lost: subs.length - got.length,
  };
}

/** Live JS heap after a full GC, per process (inspector), and per subscriber between two measurements. */
async function liveHeaps(inspectors: {
  api: Inspector;
  bare: Inspector;
}): Promise<{ api: number; bare: number }> {
  return { api: await inspectors.api.liveHeapBytes(), bare: await inspectors.bare.liveHeapBytes() };
}

function startChild(args: string[], env: Record<string, string>, cwd: string): ChildProcess {
  return spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

async function main(): Promise<void> {
  const entry = join(API_ROOT, 'dist/apps/api/src/main.js');
  if (!existsSync(entry))
    throw new Error(
      `${entry} is missing: run \`npm run build\` first (the bench measures the production build)`,
    );
  const port = await freePort();
  // Inspectors measure live heap after a full GC (RSS also counts garbage and the heap's growth).
  const inspect = { api: await freePort(), bare: await freePort() };
  const api = startChild(
    [
      `--inspect=127.0.0.1:${inspect.api}`,
      ...(process.env.FANOUT_API_NODE_FLAGS?.split(' ').filter(Boolean) ?? []),
      entry,
    ],
    {
      NODE_ENV: 'production',
      AUTH_MODE: 'off',
      DATA_SOURCE: 'simulated',
      SIM_SCENARIO: SCENARIO,
      PORT: String(port),
      LOG_LEVEL: 'error',
      ANALYZER_INTERVAL_SECONDS: '3600',
      MAX_CONNECTIONS_PER_KEY: '10000',
      MAX_SUBSCRIPTIONS_PER_KEY: '10000',
    },
    API_ROOT,
  );
  const bare = startChild(
    [
      `--inspect=127.0.0.1:${inspect.bare}`,
      '-r',
      'ts-node/register/transpile-only',
      join(__dirname, 'fanout-bare.ts'),
    ],
    {},
    ROOT,
  );
  const children = [api, bare];
  for (const child of children)
    child.once('exit', (code) => {
      if (!stopping) process.stderr.write(`a server exited early (code ${code})\n`);
      if (!stopping) process.exit(1);
    });
  let stopping = false;
  let inspectors: { api: Inspector; bare: Inspector } | undefined;
  try {
    const barePort = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('bare server did not start')), 60_000);
      bare.stdout!.on('data', (d: Buffer) => {
        const m = /port (\d+)/.exec(d.toString());
        if (!m) return;
        clearTimeout(timer);
        resolve(Number(m[1]));
      });
    });
    const base = `http://127.0.0.1:${port}`;
    const gql = async <T>(query: string): Promise<T> => {
      const res = await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query }),
      });
      const body = (await res.json()) as { data?: T; errors?: unknown };
      if (!body.data) throw new Error(JSON.stringify(body.errors));
      return body.data;
    };
    await pollUntil(
      'the API to finish its startup analysis',
      async () =>
        (
          await gql<{ analyzerConfig: { lastRun: unknown } }>(`{ analyzerConfig { lastRun { id } } }`).catch(
            () => undefined,
          )
        )?.analyzerConfig.lastRun ?? undefined,
      { timeoutMs: 120_000, intervalMs: 500 },
    );
    const apiWs = `ws://127.0.0.1:${port}/graphql`;
    const bareWs = `ws://127.0.0.1:${barePort}/graphql`;
    const publishedAt = async (): Promise<number | undefined> => {
      const text = await (await fetch(`${base}/metrics`)).text();
      const m =
        /kcloud_realtime_last_event_timestamp_seconds\{topic="analyzer\.analysisCompleted"\} ([\d.e+]+)/.exec(
          text,
        );
      return m ? Number(m[1]) * 1000 : undefined;
    };
    const trigger = async (): Promise<number> =>
      (await gql<{ triggerAnalysis: { id: number } }>(`mutation { triggerAnalysis { id } }`)).triggerAnalysis
        .id;

    // The bare server publishes the API's own payload (same shape and size), stamped at publish time.
    const [probe] = await openMany(apiWs, 1, COMPLETED);
    let template: Record<string, unknown> | undefined;
    probe!.socket.on('message', (d: Buffer) => {
      const m = JSON.parse(d.toString()) as {
        payload?: { data?: { analysisCompleted?: Record<string, unknown> } };
      };
      template ??= m.payload?.data?.analysisCompleted;
    });
    await trigger();
    await pollUntil('a template payload', async () => template, { timeoutMs: 60_000 });
    probe!.socket.close();
    let bareRun = 0;
    const publishBare = async (): Promise<number> => {
      const id = ++bareRun;
      const run = { ...(template!.run as Record<string, unknown>), id };
      await fetch(`http://127.0.0.1:${barePort}/publish`, {
        method: 'POST',
        body: JSON.stringify({ ...template, run }),
      });
      return id;
    };

    await new Promise((r) => setTimeout(r, 2_000));
    const idle = { api: rssKiB(api.pid!), bare: rssKiB(bare.pid!) };
    inspectors = { api: await Inspector.connect(inspect.api), bare: await Inspector.connect(inspect.bare) };
    const apiSubs: Subscriber[] = [];
    const bareSubs: Subscriber[] = [];
    const levels: Record<string, unknown>[] = [];
    for (const n of LEVELS) {
      // RSS per subscriber: the growth while this level's new subscribers connect, over their number (both servers
      // measured the same way; the previous level's cycles may leave garbage either way).
      const before = { api: rssKiB(api.pid!), bare: rssKiB(bare.pid!), n: apiSubs.length };
      const heapBefore = await liveHeaps(inspectors);
      apiSubs.push(...(await openMany(apiWs, n - apiSubs.length, COMPLETED)));
      bareSubs.push(...(await openMany(bareWs, n - bareSubs.length, COMPLETED)));
      await new Promise((r) => setTimeout(r, 3_000));
      const rss = { api: rssKiB(api.pid!), bare: rssKiB(bare.pid!) };
      const heapAfter = await liveHeaps(inspectors);
      const liveKiB = (side: 'api' | 'bare') =>
        round((heapAfter[side] - heapBefore[side]) / 1024 / (n - before.n));
      const cycles: { api: CycleFigures; bare: CycleFigures }[] = [];
      for (let c = 0; c < CYCLES; c++) {
        const apiFig = await awaitRun(apiSubs, await trigger(), publishedAt);
        await new Promise((r) => setTimeout(r, 300));
        const bareFig = await awaitRun(bareSubs, await publishBare());
        await new Promise((r) => setTimeout(r, 300));
        cycles.push({ api: apiFig, bare: bareFig });
      }
      const med = (side: 'api' | 'bare', k: keyof CycleFigures) =>
        round(median(cycles.map((c) => c[side][k])));
      // The same figures for both servers; only the API stamps completedAt, so only it has that latency.
      const figures = (side: 'api' | 'bare') => ({
        p50Ms: med(side, 'p50Ms'),
        p99Ms: med(side, 'p99Ms'),
        firstReceiptMs: med(side, 'firstMs'),
        ...(side === 'api' ? { fromCompletedAtP99Ms: med('api', 'fromCompletedAtP99Ms') } : {}),
        lost: cycles.reduce((s, c) => s + c[side].lost, 0),
        rssMiB: Math.round(rss[side] / 1024),
        kibPerSubscriber: round((rss[side] - before[side]) / (n - before.n)),
        liveHeapKiBPerSubscriber: liveKiB(side),
      });
      const level = {
        subscribers: n,
        api: figures('api'),
        bare: figures('bare'),
        // Ratios per cycle (same conditions), then the median over cycles.
        p99Ratio: round(median(cycles.map((c) => c.api.p99Ms / c.bare.p99Ms)), 2),
        p50Ratio: round(median(cycles.map((c) => c.api.p50Ms / c.bare.p50Ms)), 2),
        cycles,
      };
      process.stdout.write(`${JSON.stringify({ ...level, cycles: undefined })}\n`);
      levels.push(level);
    }

    // The mix: gpuScoreChanged subscribers with filters (cluster, namespace, status, a few GPU ids) on top.
    const { gpuScores } = await gql<{
      gpuScores: { edges: { node: { uuid: string; cluster: string; namespace: string | null } }[] };
    }>(`{ gpuScores(first: 200) { edges { node { uuid cluster namespace } } } }`);
    const nodes = gpuScores.edges.map((e) => e.node);
    const filters: Record<string, unknown>[] = [
      {},
      { cluster: nodes[0]!.cluster },
      { namespace: nodes.find((x) => x.namespace)?.namespace },
      { status: 'IDLE' },
      { status: 'LOW', cluster: nodes[0]!.cluster },
      { uuids: nodes.slice(0, 50).map((x) => x.uuid) },
    ];
    const mixSubs = await openMany(apiWs, MIX, CHANGED, (i) => ({ filter: filters[i % filters.length] }));
    const mixCycles: CycleFigures[] = [];
    for (let c = 0; c < 2; c++) {
      mixCycles.push(await awaitRun(apiSubs, await trigger(), publishedAt));
      await new Promise((r) => setTimeout(r, 1_000));
    }
    // Subscribers with the same filter must have received the same number of changes.
    const byFilter = filters.map((f, k) => {
      const counts = mixSubs.filter((_, i) => i % filters.length === k).map((s) => s.changes);
      return {
        filter: f.uuids ? { uuids: `${(f.uuids as unknown[]).length} ids` } : f,
        subscribers: counts.length,
        min: Math.min(...counts),
        max: Math.max(...counts),
      };
    });
    const top = levels.at(-1)!;
    record('fanout', {
      scenario: SCENARIO.replace(`${ROOT}/`, ''),
      apiRoot: API_ROOT === ROOT ? '.' : API_ROOT,
      apiNodeFlags: process.env.FANOUT_API_NODE_FLAGS ?? '',
      cyclesPerLevel: CYCLES,
      loadAverage: readFileSync('/proc/loadavg', 'utf8').trim(),
      idleRssMiB: { api: Math.round(idle.api / 1024), bare: Math.round(idle.bare / 1024) },
      levels,
      duplicates,
      mix: {
        analysisCompletedSubscribers: top.subscribers,
        gpuScoreChangedSubscribers: MIX,
        completedP99Ms: median(mixCycles.map((c) => c.p99Ms)),
        completedLost: mixCycles.reduce((s, c) => s + c.lost, 0),
        changesByFilter: byFilter,
      },
    });
  } finally {
    stopping = true;
    // A process with an inspector attached waits for it to disconnect before exiting.
    inspectors?.api.close();
    inspectors?.bare.close();
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(
      children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))),
    );
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  },
);
