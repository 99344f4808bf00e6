/**
 * Issue 12 item 4: the analyzer at 1k / 10k / 50k GPUs. The production build (NODE_ENV=production, AUTH_MODE=off, the
 * embedded simulated fleet, scenarios generated from bench-10k.yaml, response cache off, analyzer idle but for
 * `triggerAnalysis`) runs CYCLES cycles per size; per cycle: wall time of the mutation (it answers once the cycle is
 * installed and published), the API process's CPU time over it (process.cpuUsage through the inspector: less bent by
 * the shared machine's load than wall time), the run's own durationSeconds (source → scores → diff; the rest is
 * install, idle ledger and events), the first page reads after it (the read models' lazy views) and one /metrics
 * scrape (the per-GPU gauges are rebuilt on it), then PROFILED_CYCLES such cycles under the inspector's CPU profiler,
 * split by phase. Per-GPU ratios 50k÷1k and 50k÷10k
 * (linear ⇒ ≈ 1). Then per size RSS (VmRSS) and live heap after a full GC with 0 and SUBSCRIBERS graphql-ws
 * subscribers on `analysisCompleted` (one cycle delivered to all).
 *
 * Env: BENCH_SKIP_BUILD=1, BENCH_DIST (build dir under the checkout, default dist), SCALE_SIZES (default
 * 1000,10000,50000), SCALE_CYCLES (5), SCALE_PROFILED_CYCLES (2), SCALE_SUBSCRIBERS (1000), SCALE_CPU_PROFILE_DIR
 * (writes each size's profile of the profiled cycles as .cpuprofile), SCALE_HEAP_PROFILE_DIR (samples allocations from
 * the first measured cycle on and, with the subscribers connected and after a full GC, writes what is still live as
 * .heapprofile and adds it to the result by allocation site).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../test/harness/free-port';
import { pollUntil } from '../test/harness/poll';
import { connectWs, type Subscription, type WsConnection } from '../test/harness/ws-client';
import { cpuMs, gql, statusKiB } from './api-probes';
import { scenarioOfSize } from './fleet-sizes';
import { type ApiProcess, startApi } from './graph-api';
import { Inspector } from './inspector';
import { median, record } from './lib';
import { type CpuProfile, heapByAllocationSite, type HeapProfileNode, phasesOf } from './profile-phases';

const ROOT = join(__dirname, '..');
const SIZES = (process.env.SCALE_SIZES ?? '1000,10000,50000').split(',').map(Number);
const CYCLES = Number(process.env.SCALE_CYCLES ?? 5);
const PROFILED_CYCLES = Number(process.env.SCALE_PROFILED_CYCLES ?? 2);
const SUBSCRIBERS = Number(process.env.SCALE_SUBSCRIBERS ?? 1000);
const HEAP_PROFILE_DIR = process.env.SCALE_HEAP_PROFILE_DIR;
const CONNECT_BATCH = 250;
const OWN_WORK = "own work (analyzer, read models, gauges, events, metrics-source's join)";
const OWN = /^(analyzer|read models|metrics|events|source: window aggregates|accelerators)/;

const COMPLETED = `subscription { analysisCompleted { run { id gpuCount changedCount }
  stats { total averageScore idleCount lowUtilizationCount byStatus { status count } byCluster { cluster count } } } }`;
const TRIGGER = `mutation { triggerAnalysis { id gpuCount durationSeconds } }`;
const SCORES_PAGE = `{ gpuScores(first: 100, orderBy: SCORE_ASC) { totalCount edges { node { uuid score status } } } }`;
const GPUS_PAGE = `{ gpus(first: 100) { totalCount edges { node { uuid utilizationPercent score { score } } } } }`;

const round = (n: number, digits = 3): number => Math.round(n * 10 ** digits) / 10 ** digits;
const loadAverage = (): string => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

interface Cycle {
  readonly wallMs: number;
  readonly cpuMs: number;
  /** The run's durationSeconds: window aggregates from the source, scoring, activity, diff, merge. */
  readonly runMs: number;
  /** Wall time after the run's own duration: commit, install, gauges, idle ledger, events. */
  readonly afterRunMs: number;
  /** The first gpuScores and gpus pages after the cycle (their views are built on first use), and again (warm). */
  readonly firstReadMs: number;
  readonly warmReadMs: number;
  /** The API's CPU time for the first reads (building the views), and for one scrape of /metrics (the gauges). */
  readonly firstReadCpuMs: number;
  readonly metricsScrapeCpuMs: number;
  readonly metricsScrapeMs: number;
  /** The API's CPU time from the trigger to the end of the scrape (warm reads included): what a profile covers. */
  readonly withReadsCpuMs: number;
  readonly loadAverage: string;
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

async function cycle(api: ApiProcess, inspector: Inspector): Promise<Cycle> {
  const load = loadAverage();
  const cpu0 = await cpuMs(inspector);
  let run!: { durationSeconds: number };
  const wallMs = await timed(async () => {
    run = (await gql<{ triggerAnalysis: { durationSeconds: number } }>(api, TRIGGER)).triggerAnalysis;
  });
  const cpu1 = await cpuMs(inspector);
  const reads = () => Promise.all([gql(api, SCORES_PAGE), gql(api, GPUS_PAGE)]);
  const firstReadMs = await timed(reads);
  const cpu2 = await cpuMs(inspector);
  const warmReadMs = await timed(reads);
  // Prometheus scrapes the per-GPU gauges after each cycle: they are rebuilt from the new results on that scrape.
  const cpu3 = await cpuMs(inspector);
  const metricsScrapeMs = await timed(async () => {
    const res = await fetch(api.url.replace(/\/graphql$/, '/metrics'));
    if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
    await res.arrayBuffer();
  });
  const cpu4 = await cpuMs(inspector);
  return {
    wallMs: round(wallMs, 1),
    cpuMs: round(cpu1 - cpu0, 1),
    runMs: round(run.durationSeconds * 1000, 1),
    afterRunMs: round(wallMs - run.durationSeconds * 1000, 1),
    firstReadMs: round(firstReadMs, 1),
    warmReadMs: round(warmReadMs, 1),
    firstReadCpuMs: round(cpu2 - cpu1, 1),
    metricsScrapeCpuMs: round(cpu4 - cpu3, 1),
    withReadsCpuMs: round(cpu4 - cpu0, 1),
    metricsScrapeMs: round(metricsScrapeMs, 1),
    loadAverage: load,
  };
}

/** RSS as it is, then live heap after a full GC and RSS after that GC; peak RSS of the process's life. */
async function memory(api: ApiProcess, inspector: Inspector) {
  const rssMiB = round(statusKiB(api.pid, 'VmRSS') / 1024, 1);
  const liveHeapMiB = round((await inspector.liveHeapBytes()) / 2 ** 20, 1);
  return {
    rssMiB,
    liveHeapMiB,
    rssAfterGcMiB: round(statusKiB(api.pid, 'VmRSS') / 1024, 1),
    peakRssMiB: round(statusKiB(api.pid, 'VmHWM') / 1024, 1),
    loadAverage: loadAverage(),
  };
}

async function subscribe(url: string, n: number): Promise<{ conn: WsConnection; sub: Subscription }[]> {
  const out: { conn: WsConnection; sub: Subscription }[] = [];
  for (let i = 0; i < n; i += CONNECT_BATCH) {
    const batch = Array.from({ length: Math.min(CONNECT_BATCH, n - i) }, () => {
      const conn = connectWs(url);
      return { conn, sub: conn.subscribe(COMPLETED) };
    });
    await Promise.all(batch.map((b) => b.conn.connected));
    out.push(...batch);
  }
  return out;
}

async function measureSize(gpus: number): Promise<Record<string, unknown>> {
  const inspectPort = await freePort();
  const api = await startApi(
    scenarioOfSize(gpus),
    {
      ANALYZER_INTERVAL_SECONDS: '3600',
      RESPONSE_CACHE_ENABLED: 'false',
      MAX_CONNECTIONS_PER_KEY: String(SUBSCRIBERS * 2),
      MAX_SUBSCRIPTIONS_PER_KEY: String(SUBSCRIBERS * 2),
    },
    [`--inspect=127.0.0.1:${inspectPort}`],
  );
  const inspector = await Inspector.connect(inspectPort);
  let subs: { conn: WsConnection; sub: Subscription }[] = [];
  try {
    const scored = (
      await gql<{ gpuScores: { totalCount: number } }>(api, '{ gpuScores(first: 1) { totalCount } }')
    ).gpuScores.totalCount;
    process.stderr.write(`${gpus} GPUs (${scored} rows): warm-up cycle\n`);
    await cycle(api, inspector);
    // Everything a cycle allocates anew (results, state, gauges) is sampled from here on; what the start built once
    // (the simulated fleet, the source's registries) is not.
    if (HEAP_PROFILE_DIR) await inspector.send('HeapProfiler.startSampling', { samplingInterval: 16384 });
    const cycles: Cycle[] = [];
    for (let c = 0; c < CYCLES; c++) {
      cycles.push(await cycle(api, inspector));
      process.stderr.write(`  ${JSON.stringify(cycles.at(-1))}\n`);
    }
    await inspector.send('Profiler.enable');
    await inspector.send('Profiler.setSamplingInterval', { interval: 500 });
    await inspector.send('Profiler.start');
    const profiled: Cycle[] = [];
    for (let c = 0; c < PROFILED_CYCLES; c++) profiled.push(await cycle(api, inspector));
    const { profile } = await inspector.send<{ profile: CpuProfile }>('Profiler.stop');
    if (process.env.SCALE_CPU_PROFILE_DIR) {
      mkdirSync(process.env.SCALE_CPU_PROFILE_DIR, { recursive: true });
      writeFileSync(
        join(process.env.SCALE_CPU_PROFILE_DIR, `scale-${gpus}.cpuprofile`),
        JSON.stringify(profile),
      );
    }
    const { phasesMs, topFunctionsMs } = phasesOf(profile);
    // The sampler counts wall time: on a loaded machine a descheduled thread's time lands on '(program)' or whatever
    // frame was running. Shares of the busy JS and GC samples, scaled to the CPU time the process really used, are
    // comparable across runs and sizes.
    const unattributed = new Set(['idle', '(program)']);
    const busyMs = Object.entries(phasesMs).reduce((sum, [k, v]) => (unattributed.has(k) ? sum : sum + v), 0);
    const profiledCpuMs = profiled.reduce((sum, c) => sum + c.withReadsCpuMs, 0);
    const perCycle = (ms: Record<string, number>) =>
      Object.fromEntries(
        Object.entries(ms)
          .filter(([k]) => !unattributed.has(k))
          .sort((a, b) => b[1] - a[1])
          .map(([k, v]) => [k, round((v / busyMs) * (profiledCpuMs / PROFILED_CYCLES), 1)])
          .filter(([, v]) => (v as number) >= 0.5),
      );
    const phases = perCycle(phasesMs) as Record<string, number>;
    // The cycle's own work as issue 12 counts it: all but the simulated fleet (the stand-in for Prometheus) and GC.
    phases[OWN_WORK] = round(
      Object.entries(phases)
        .filter(([k]) => OWN.test(k))
        .reduce((sum, [, v]) => sum + v, 0),
      1,
    );

    const noSubscribers = await memory(api, inspector);
    process.stderr.write(`  memory, 0 subscribers: ${JSON.stringify(noSubscribers)}\n`);
    subs = await subscribe(api.url.replace(/\/graphql$/, ''), SUBSCRIBERS);
    const { triggerAnalysis } = await gql<{ triggerAnalysis: { id: number } }>(api, TRIGGER);
    const delivered = (s: { sub: Subscription }) =>
      s.sub.events.some(
        (e) =>
          (e.data?.analysisCompleted as { run?: { id: number } } | undefined)?.run?.id === triggerAnalysis.id,
      );
    await pollUntil('every subscriber to receive the cycle', async () => subs.every(delivered) || undefined, {
      timeoutMs: 120_000,
      intervalMs: 200,
    });
    const withSubscribers = { subscribers: subs.length, ...(await memory(api, inspector)) };
    process.stderr.write(`  memory, ${subs.length} subscribers: ${JSON.stringify(withSubscribers)}\n`);
    let liveHeapByAllocationSite: ReturnType<typeof heapByAllocationSite> | undefined;
    if (HEAP_PROFILE_DIR) {
      const { profile: heap } = await inspector.send<{ profile: { head: HeapProfileNode } }>(
        'HeapProfiler.stopSampling',
      );
      mkdirSync(HEAP_PROFILE_DIR, { recursive: true });
      writeFileSync(join(HEAP_PROFILE_DIR, `scale-${gpus}.heapprofile`), JSON.stringify(heap));
      liveHeapByAllocationSite = heapByAllocationSite(heap.head);
    }
    const med = (k: keyof Omit<Cycle, 'loadAverage'>) => round(median(cycles.map((c) => c[k])), 1);
    return {
      gpus,
      scoredRows: scored,
      cyclesMedian: {
        wallMs: med('wallMs'),
        cpuMs: med('cpuMs'),
        runMs: med('runMs'),
        afterRunMs: med('afterRunMs'),
        firstReadMs: med('firstReadMs'),
        warmReadMs: med('warmReadMs'),
        firstReadCpuMs: med('firstReadCpuMs'),
        metricsScrapeCpuMs: med('metricsScrapeCpuMs'),
        metricsScrapeMs: med('metricsScrapeMs'),
        withReadsCpuMs: med('withReadsCpuMs'),
      },
      cycles,
      profiledCycles: PROFILED_CYCLES,
      profileUnattributedShareOfWallSampled: round(
        1 - busyMs / Object.values(phasesMs).reduce((a, b) => a + b, 0),
        2,
      ),
      profilePhasesCpuMsPerCycle: phases,
      profileTopFunctionsCpuMsPerCycle: perCycle(topFunctionsMs),
      memory: { noSubscribers, withSubscribers },
      liveHeapByAllocationSite,
    };
  } finally {
    await Promise.all(subs.map((s) => s.conn.dispose().catch(() => undefined)));
    inspector.close();
    await api.stop();
  }
}

type Size = Awaited<ReturnType<typeof measureSize>> & {
  gpus: number;
  cyclesMedian: Record<string, number>;
  profilePhasesCpuMsPerCycle: Record<string, number>;
};

/** Per-GPU cost at `big` over that at `small` (1 = linear). */
function perGpuRatios(big: Size, small: Size): Record<string, unknown> {
  const scale = big.gpus / small.gpus;
  const ratio = (a: number | undefined, b: number | undefined) =>
    a === undefined || b === undefined || b === 0 ? null : round(a / b / scale, 2);
  const phases = Object.fromEntries(
    Object.keys(big.profilePhasesCpuMsPerCycle)
      .filter((k) => (big.profilePhasesCpuMsPerCycle[k] ?? 0) >= 5)
      .map((k) => [k, ratio(big.profilePhasesCpuMsPerCycle[k], small.profilePhasesCpuMsPerCycle[k])]),
  );
  return {
    ...Object.fromEntries(
      Object.keys(big.cyclesMedian).map((k) => [k, ratio(big.cyclesMedian[k], small.cyclesMedian[k])]),
    ),
    profilePhases: phases,
  };
}

async function main(): Promise<void> {
  const dist = process.env.BENCH_DIST ?? 'dist';
  if (process.env.BENCH_SKIP_BUILD !== '1') {
    execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json', '--outDir', dist], {
      cwd: ROOT,
      stdio: 'inherit',
    });
    execFileSync('npx', ['tsc-alias', '-p', 'tsconfig.build.json', '--outDir', dist], {
      cwd: ROOT,
      stdio: 'inherit',
    });
  }
  const loadAtStart = loadAverage();
  const sizes: Size[] = [];
  for (const gpus of SIZES) sizes.push((await measureSize(gpus)) as Size);
  const by = (gpus: number) => sizes.find((s) => s.gpus === gpus);
  const [s1k, s10k, s50k] = [by(1_000), by(10_000), by(50_000)];
  record('scale', {
    machine: { cpus: execFileSync('nproc').toString().trim(), loadAtStart, loadAtEnd: loadAverage() },
    cyclesPerSize: CYCLES,
    subscribers: SUBSCRIBERS,
    perGpu50kOver1k: s50k && s1k ? perGpuRatios(s50k, s1k) : null,
    perGpu50kOver10k: s50k && s10k ? perGpuRatios(s50k, s10k) : null,
    sizes,
  });
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`${String(e instanceof Error ? e.stack : e)}\n`);
    process.exit(1);
  },
);
