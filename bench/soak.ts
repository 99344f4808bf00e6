import { createHash } from 'node:crypto';
import { join } from 'node:path';
import Redis from 'ioredis';
import { type ApiProcess, startApiProcess } from '../test/harness/api-process';
import { freePort } from '../test/harness/free-port';
import { gql } from '../test/harness/graphql-client';
import { type RunningRedis, startRedis } from '../test/harness/redis';
import { transpileCacheNodeArgs } from '../test/harness/transpile-cache';
import { connectWs, type Subscription, type WsConnection } from '../test/harness/ws-client';
import { Inspector } from './inspector';
import { median, slope } from './lib';
import { at } from '../test/harness/indexed';

export interface SoakOptions {
  readonly seconds: number;
  readonly subscribers: number;
  /** Queries per second, all workers together (paced, so per-key rate limits are not what is measured). */
  readonly queriesPerSecond: number;
  readonly analyzerIntervalSeconds: number;
  /** Progress lines (one per minute); silent when undefined. */
  readonly log?: (line: string) => void;
  /**
   * When set, a heap snapshot of the replica that does not lead the analyzer is written there at minute 10 and at the
   * end (after the events are counted), to diff by constructor if the live heap rises.
   */
  readonly heapSnapshotDir?: string;
}

export interface ReplicaFigures {
  readonly url: string;
  readonly rssStartMiB: number;
  readonly rssEndMiB: number;
}

/** One per-minute reading of both replicas (to tell a leak from warm-up: the slope after the first minutes). */
export interface SoakSample {
  readonly atSeconds: number;
  readonly rssMiB: readonly number[];
  /** V8 heap in use (`nodejs_heap_size_used_bytes`), which falls back after a collection unless something leaks. */
  readonly heapUsedMiB: readonly number[];
}

/**
 * Live JS heap after a full GC (inspector `HeapProfiler.collectGarbage`), per replica, at fixed points: what the
 * process keeps, without the garbage and the heap's headroom that RSS and `heapUsed` also count.
 */
export interface LiveHeapSample {
  readonly atSeconds: number;
  /** Per replica, `LIVE_HEAP_REPEATS` readings a few seconds apart: their spread is the noise of one point. */
  readonly liveHeapMiB: readonly (readonly number[])[];
  readonly rssMiB: readonly number[];
}

export interface LiveHeapTrend {
  /** Least-squares slope per 10 minutes over samples from minute 10 on (the median of each point's readings). */
  readonly fromMinute: number;
  readonly liveHeapMiBPer10Min: readonly number[];
  readonly rssMiBPer10Min: readonly number[];
  /** Largest max−min among the repeated readings of one point, per replica: the measurement noise. */
  readonly repeatSpreadMiB: readonly number[];
}

export interface SoakResult {
  readonly seconds: number;
  readonly subscribers: number;
  readonly queries: number;
  readonly errors: number;
  readonly errorSamples: readonly string[];
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly replicas: readonly ReplicaFigures[];
  /** analysisCompleted events published in the measured span (cycles committed), and what subscribers got. */
  readonly eventsPublished: number;
  readonly eventsExpected: number;
  readonly eventsReceived: number;
  readonly eventsLost: number;
  readonly subscriptionsEnded: number;
  readonly samples: readonly SoakSample[];
  readonly liveHeap: readonly LiveHeapSample[];
  readonly liveHeapTrend: LiveHeapTrend;
  readonly heapSnapshots: readonly string[];
}

const LIVE_HEAP_REPEATS = 3;
/** Fixed sampling points in minutes from the start of the measured span (those before its end), plus one at the end. */
const LIVE_HEAP_MINUTES = [1, 2, 5, 7.5, 10, 12.5, 15, 17.5, 20, 22.5, 25, 27.5];
const TREND_FROM_MINUTE = 10;

async function isLeader(url: string): Promise<boolean> {
  const text = await (await fetch(`${url}/metrics`)).text().catch(() => '');
  return /^kcloud_analyzer_leader(?:\{[^}]*\})? 1$/m.test(text);
}

async function liveHeapSample(
  atSeconds: number,
  inspectors: readonly Inspector[],
  replicas: readonly ApiProcess[],
): Promise<LiveHeapSample> {
  const readings: number[][] = inspectors.map(() => []);
  for (let i = 0; i < LIVE_HEAP_REPEATS; i++) {
    if (i) await sleep(2_000);
    for (const [r, inspector] of inspectors.entries())
      readings[r]!.push(round((await inspector.liveHeapBytes()) / 1048576)); // one list per inspector
  }
  const rss = await Promise.all(replicas.map((r) => r.rssMiB()));
  return { atSeconds, liveHeapMiB: readings, rssMiB: rss.map(round) };
}

const heapOf = (s: LiveHeapSample, replica: number) =>
  at(s.liveHeapMiB, replica, 'replica live heap readings');

export function liveHeapTrend(samples: readonly LiveHeapSample[], replicaCount: number): LiveHeapTrend {
  const late = samples.filter((s) => s.atSeconds >= TREND_FROM_MINUTE * 60 - 5);
  const per10 = (pick: (s: LiveHeapSample) => number) =>
    round(slope(late.map((s) => ({ x: s.atSeconds / 600, y: pick(s) }))));
  const replicasIdx = Array.from({ length: replicaCount }, (_, i) => i);
  return {
    fromMinute: TREND_FROM_MINUTE,
    liveHeapMiBPer10Min: replicasIdx.map((i) => per10((s) => median(heapOf(s, i)))),
    rssMiBPer10Min: replicasIdx.map((i) => per10((s) => at(s.rssMiB, i, 'replica RSS'))),
    repeatSpreadMiB: replicasIdx.map((i) =>
      round(Math.max(0, ...samples.map((s) => Math.max(...heapOf(s, i)) - Math.min(...heapOf(s, i))))),
    ),
  };
}

const KEYS = [
  { name: 'soak-admin', secret: 'kc_soak_admin_1f2e', role: 'admin' },
  { name: 'soak-viewer', secret: 'kc_soak_viewer_3d4c', role: 'viewer' },
  { name: 'soak-east', secret: 'kc_soak_east_5b6a', role: 'viewer', clusters: ['kcloud-east'] },
  { name: 'soak-partner', secret: 'kc_soak_partner_7988', role: 'partner', namespaces: ['inference'] },
  {
    name: 'soak-partner-east',
    secret: 'kc_soak_partner_east_9a0b',
    role: 'partner',
    clusters: ['kcloud-east'],
  },
] as const;
/** Viewers may query but not subscribe. */
const SUBSCRIBER_KEYS = KEYS.filter((k) => k.role !== 'viewer');

/** A mix of what dashboards ask: lists, one device, stats, clusters, the analyzer's state. */
const QUERIES = [
  `{ gpus(first: 50) { totalCount edges { node { id } } } }`,
  `{ gpuScores(first: 50, orderBy: SCORE_ASC) { totalCount edges { node { id score status statusSince } } } }`,
  `{ gpuScoreStats { total } }`,
  `{ clusters { name status } }`,
  `{ analyzerConfig { version leader lastRun { id } } }`,
  `{ nodes(first: 20) { totalCount } }`,
  `{ lowUtilizationGpus { id } }`,
];

const STATE_KEY = 'kcloud:state:analyzer-state';

async function lastRunId(redis: Redis): Promise<number> {
  const value = await redis.hget(STATE_KEY, 'value');
  return value ? (JSON.parse(value) as { lastRunId: number }).lastRunId : 0;
}

const percentile = (sorted: readonly number[], p: number): number =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : 0;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function heapUsedMiB(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text().catch(() => '');
  const bytes = /^nodejs_heap_size_used_bytes (\S+)$/m.exec(text)?.[1];
  return bytes ? round(Number(bytes) / 1048576) : 0;
}

/**
 * Two API replicas (child processes) on one redis-server, each serving the simulated fleet (time-driven patterns, so
 * statuses change), the analyzer every `analyzerIntervalSeconds` on the leader; `subscribers` graphql-ws
 * subscriptions to analysisCompleted spread over both replicas and the partner/admin keys; paced mixed queries from
 * five keys (admin, viewers, partners, some scoped).
 * Loopback only; every loop is bounded by the deadline.
 */
export async function runSoak(o: SoakOptions): Promise<SoakResult> {
  const sha = (s: string) => createHash('sha256').update(s).digest('hex');
  const env = {
    API_KEYS: JSON.stringify(KEYS.map(({ secret, ...k }) => ({ ...k, sha256: sha(secret) }))),
    ANALYZER_INTERVAL_SECONDS: String(o.analyzerIntervalSeconds),
    RATE_LIMIT_PER_MINUTE: '1000000',
    MAX_CONNECTIONS_PER_KEY: '10000',
    MAX_SUBSCRIPTIONS_PER_KEY: '10000',
    LOG_LEVEL: 'warn',
  };
  let redisServer: RunningRedis | undefined;
  let redis: Redis | undefined;
  const replicas: ApiProcess[] = [];
  const sockets: WsConnection[] = [];
  const inspectors: Inspector[] = [];
  try {
    redisServer = await startRedis();
    redis = new Redis(redisServer.url, { lazyConnect: false });
    const inspectPorts = [await freePort(), await freePort()];
    replicas.push(
      ...(await Promise.all(
        inspectPorts.map((port) =>
          startApiProcess(
            { ...env, REDIS_URL: redisServer!.url },
            { nodeArgs: [`--inspect=127.0.0.1:${port}`, ...transpileCacheNodeArgs] },
          ),
        ),
      )),
    );
    for (const port of inspectPorts) inspectors.push(await Inspector.connect(port));

    const subs: Subscription[] = [];
    for (let i = 0; i < o.subscribers; i++) {
      const key = at(SUBSCRIBER_KEYS, i % SUBSCRIBER_KEYS.length, 'subscriber key');
      const ws = connectWs(at(replicas, i % 2, 'replica').url, { authorization: `Bearer ${key.secret}` });
      sockets.push(ws);
      subs.push(ws.subscribe(`subscription { analysisCompleted { run { id } } }`));
    }
    o.log?.(
      `soak: replicas up (${replicas.map((r) => r.url).join(', ')}), connecting ${o.subscribers} subscribers`,
    );
    await withDeadline(
      Promise.all(
        sockets.map((s) =>
          Promise.race([
            s.connected,
            s.closed.then((c) => Promise.reject(new Error(`subscriber refused: ${c.code} ${c.reason}`))),
          ]),
        ),
      ),
      60_000,
      'subscribers connected',
    );
    o.log?.('soak: subscribers connected');
    // Subscriptions are registered right after connecting; a margin, then every cycle after this id is counted.
    await sleep(1_000);
    const startId = await lastRunId(redis);
    const rssStart = await Promise.all(replicas.map((r) => r.rssMiB()));

    const latencies: number[] = [];
    let errors = 0;
    const errorSamples: string[] = [];
    const fail = (what: string) => {
      errors++;
      if (errorSamples.length < 10) errorSamples.push(what);
    };
    const deadline = Date.now() + o.seconds * 1000;
    const startedAt = Date.now();
    const samples: SoakSample[] = [];
    const workers = 4;
    const gapMs = (1000 * workers) / o.queriesPerSecond;
    let n = 0;
    let nextLog = Date.now() + 60_000;
    const liveHeap: LiveHeapSample[] = [];
    const heapSnapshots: string[] = [];
    const snapshot = async (label: string) => {
      if (!o.heapSnapshotDir) return;
      // The follower: a snapshot stops its process for seconds, and the leader's lock must not lapse meanwhile.
      const leaders = await Promise.all(replicas.map((r) => isLeader(r.url)));
      const i = Math.max(0, leaders.indexOf(false));
      const path = join(o.heapSnapshotDir, `soak-${label}-replica${i}.heapsnapshot`);
      const t = Date.now();
      await at(inspectors, i, 'inspector').snapshotTo(path);
      heapSnapshots.push(path);
      o.log?.(`soak: heap snapshot ${path} (${Date.now() - t} ms)`);
    };
    const sampler = (async () => {
      for (const minute of LIVE_HEAP_MINUTES) {
        const at = startedAt + minute * 60_000;
        if (at >= deadline) break;
        await sleep(at - Date.now());
        const sample = await liveHeapSample(
          Math.round((Date.now() - startedAt) / 1000),
          inspectors,
          replicas,
        );
        liveHeap.push(sample);
        o.log?.(
          `soak: minute ${minute} live heap after GC ${sample.liveHeapMiB.map((r) => r.join(',')).join(' / ')} MiB, RSS ${sample.rssMiB.join(' / ')} MiB`,
        );
        if (minute === TREND_FROM_MINUTE) await snapshot('minute10');
      }
    })();
    await Promise.all(
      Array.from({ length: workers }, async (_, w) => {
        for (let i = 0; Date.now() < deadline; i++) {
          const started = Date.now();
          const k = n++;
          const key = at(KEYS, k % KEYS.length, 'key');
          const query = at(QUERIES, (k + w) % QUERIES.length, 'query');
          try {
            const r = await gql(
              at(replicas, k % 2, 'replica').url,
              query,
              {},
              { authorization: `Bearer ${key.secret}` },
            );
            latencies.push(Date.now() - started);
            if (r.status !== 200 || r.errors?.length)
              fail(
                `${key.name} ${query.slice(0, 40)}: ${r.status} ${JSON.stringify(r.errors?.[0]?.message)}`,
              );
          } catch (e) {
            fail(`${key.name} ${query.slice(0, 40)}: ${(e as Error).message}`);
          }
          if (w === 0 && Date.now() > nextLog) {
            nextLog += 60_000;
            const rss = await Promise.all(replicas.map((r) => r.rssMiB()));
            const heap = await Promise.all(replicas.map((r) => heapUsedMiB(r.url)));
            samples.push({
              atSeconds: Math.round((Date.now() - startedAt) / 1000),
              rssMiB: rss.map(round),
              heapUsedMiB: heap,
            });
            o.log?.(
              `soak: ${Math.round((deadline - Date.now()) / 1000)} s left, ${latencies.length} queries, ${errors} errors, RSS ${rss.map((m) => m?.toFixed(0)).join('/')} MiB, heap used ${heap.map((m) => m.toFixed(0)).join('/')} MiB`,
            );
          }
          await sleep(Math.max(0, gapMs - (Date.now() - started)));
        }
      }),
    );

    await sampler;
    // Let the cycle in flight commit and its events arrive, then count.
    await sleep((o.analyzerIntervalSeconds + 3) * 1000);
    const endId = await lastRunId(redis);
    await sleep(2_000);
    const rssEnd = await Promise.all(replicas.map((r) => r.rssMiB()));
    liveHeap.push(await liveHeapSample(Math.round((Date.now() - startedAt) / 1000), inspectors, replicas));
    o.log?.(
      `soak: end live heap after GC ${liveHeap
        .at(-1)!
        .liveHeapMiB.map((r) => r.join(','))
        .join(' / ')} MiB`,
    );
    const published = endId - startId;
    let received = 0;
    let lost = 0;
    let ended = 0;
    for (const sub of subs) {
      const ids = new Set(
        sub.events
          .map(
            (e) =>
              (e.data as { analysisCompleted?: { run: { id: number } } } | undefined)?.analysisCompleted?.run
                .id,
          )
          .filter((id): id is number => id !== undefined && id > startId && id <= endId),
      );
      received += ids.size;
      lost += published - ids.size;
      if (sub.events.some((e) => e.errors?.length))
        fail(`subscription error: ${JSON.stringify(sub.events.find((e) => e.errors)?.errors)}`);
    }
    for (const s of sockets) {
      const closed = await Promise.race([s.closed, sleep(0).then(() => undefined)]);
      if (closed) {
        ended++;
        fail(`socket closed ${closed.code} ${closed.reason}`);
      }
    }
    await snapshot('end');
    const sorted = [...latencies].sort((a, b) => a - b);
    return {
      seconds: o.seconds,
      subscribers: o.subscribers,
      queries: latencies.length,
      errors,
      errorSamples,
      latencyMs: { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? 0 },
      replicas: replicas.map((r, i) => ({
        url: r.url,
        rssStartMiB: round(rssStart[i]),
        rssEndMiB: round(rssEnd[i]),
      })),
      eventsPublished: published,
      eventsExpected: published * subs.length,
      eventsReceived: received,
      eventsLost: lost,
      subscriptionsEnded: ended,
      samples,
      liveHeap,
      liveHeapTrend: liveHeapTrend(liveHeap, replicas.length),
      heapSnapshots,
    };
  } finally {
    // A process with an inspector attached waits for it to disconnect before exiting.
    for (const inspector of inspectors) inspector.close();
    await withDeadline(
      Promise.all(sockets.map((s) => s.dispose().catch(() => undefined))),
      10_000,
      'sockets closed',
    ).catch(() => undefined);
    // SIGTERM drains; a replica that does not exit within the bound is killed.
    await Promise.all(
      replicas.map((r) => withDeadline(r.stop(), 15_000, 'replica stopped').catch(() => r.kill())),
    );
    redis?.disconnect();
    await redisServer?.stop();
  }
}

/** Rejects when `promise` has not settled within `ms`. */
async function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const round = (v: number | undefined): number => Math.round((v ?? 0) * 10) / 10;
