// Issue 12: the graph served at fleet scale. The production build on the embedded simulated fleet answers two list
// queries repeated identically at 50 connections (wrk), each run paired with a plain node:http server sending the
// identical bytes (the ceiling), with the response cache on and off; then per-request time with the cache off at
// 1k / 10k / 50k GPUs (one connection). Figures are same-run ratios, medians over REPEATS.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FleetModel, parseScenario } from '@kcloud/fleet-model';
import { startBareGraphql } from './bare-graphql';
import { type ApiProcess, replayedHeaders, startApi, startCeiling } from './graph-api';
import { wrk, type WrkResult } from './graph-wrk';
import { median, record } from './lib';

const ROOT = join(__dirname, '..');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const CONNECTIONS = 50;
const SCENARIO_10K = join(ROOT, 'libs/fleet-model/scenarios/bench-10k.yaml');

const GPUS = `{ gpus(first: 100) { totalCount edges { cursor node { uuid model node namespace pod utilizationPercent memoryUsedMiB powerWatts score { score status } } } } }`;
const scores = (namespace: string) =>
  `{ gpuScores(first: 100, orderBy: SCORE_ASC, filter: { namespace: ${JSON.stringify(namespace)} }) { totalCount edges { cursor node { uuid node namespace pod score status statusSince } } } }`;

/**
 * bench-10k.yaml's generator at another size, same mixes and seed: 1k = one cluster of 125 nodes; 50k = ten clusters of
 * 625 nodes (the generator's pod names collide in one cluster of thousands of nodes, so the fleet grows by clusters).
 */
function scenarioOf(gpus: number): string {
  if (gpus === 10_000) return SCENARIO_10K;
  const text = readFileSync(SCENARIO_10K, 'utf8');
  const head = text.slice(0, text.indexOf('clusters:\n') + 'clusters:\n'.length);
  const blocks = text.slice(head.length).split(/(?= {2}- name: )/);
  let yaml: string;
  if (gpus === 1_000) yaml = head + blocks[0]!.replace('nodes: 625', 'nodes: 125');
  else {
    // Each cluster's name must give a fleet the generator accepts (its random pod names may collide on two nodes).
    const valid = (block: string): boolean => {
      try {
        return new FleetModel(parseScenario(head + block)).gpus().length > 0;
      } catch {
        return false;
      }
    };
    yaml = head;
    for (let i = 0; i < gpus / 5_000; i++) {
      let block = '';
      for (let n = 0; n < 50 && !block; n++) {
        const candidate = blocks[i % 2]!.replace(
          /name: bench-[ab]/,
          `name: bench-${String.fromCharCode(97 + i)}${n || ''}`,
        );
        if (valid(candidate)) block = candidate;
      }
      yaml += block;
    }
  }
  const file = join(mkdtempSync(join(tmpdir(), 'graph-bench-')), `bench-${gpus / 1000}k.yaml`);
  writeFileSync(file, yaml);
  return file;
}

const round = (n: number, digits = 3): number => Math.round(n * 10 ** digits) / 10 ** digits;

interface Pair {
  readonly api: WrkResult;
  readonly ceiling: WrkResult;
  /** Bare graphql-js executing the same document over the same data (cache-off runs only). */
  readonly bare?: WrkResult;
}

/**
 * REPEATS interleaved (API, ceiling) pairs on the identical answer — with `bare`, triplets with bare graphql-js
 * executing the same document over the same data (`bench/bare-graphql.ts`) — medians of each and of the ratios.
 */
async function versusCeiling(
  api: ApiProcess,
  query: string,
  { bare = false }: { bare?: boolean } = {},
): Promise<Record<string, unknown>> {
  const body = JSON.stringify({ query });
  const first = await api.post(body);
  const answer = JSON.parse(first.text) as { data?: Record<string, unknown>; errors?: unknown[] };
  if (first.status !== 200 || answer.errors) throw new Error(`query failed: ${first.text.slice(0, 500)}`);
  const again = await api.post(body);
  const ceiling = await startCeiling(again.text, again.headers);
  const library = bare ? await startBareGraphql(answer.data!, replayedHeaders(again.headers)) : undefined;
  const pairs: Pair[] = [];
  let bareSameBytes: boolean | undefined;
  try {
    if (library) {
      // The baseline must answer the very bytes the API answered first (its data are that answer's).
      const res = await fetch(library.url, { method: 'POST', body });
      bareSameBytes = (await res.text()) === first.text;
      if (!bareSameBytes) throw new Error('bare graphql-js does not answer the API’s bytes');
    }
    for (let i = 0; i < REPEATS; i++) {
      const a = await wrk(api.url, body, { connections: CONNECTIONS, seconds: SECONDS });
      const c = await wrk(ceiling.url, body, { connections: CONNECTIONS, seconds: SECONDS });
      const b = library && (await wrk(library.url, body, { connections: CONNECTIONS, seconds: SECONDS }));
      if (a.non2xx) throw new Error(`${a.non2xx} non-2xx answers from the API`);
      pairs.push({ api: a, ceiling: c, ...(b ? { bare: b } : {}) });
    }
  } finally {
    await ceiling.stop();
    await library?.stop();
  }
  const withBare = pairs.filter((p): p is Required<Pair> => p.bare !== undefined);
  const bareFigures = withBare.length
    ? {
        bareSameBytes,
        bareRequestsPerSecond: round(median(withBare.map((p) => p.bare.requestsPerSecond)), 0),
        bareP50Ms: round(median(withBare.map((p) => p.bare.p50Ms)), 2),
        // API ÷ bare graphql-js and bare graphql-js ÷ ceiling, each the median of the same-run triplets.
        apiOverBare: round(median(withBare.map((p) => p.api.requestsPerSecond / p.bare.requestsPerSecond))),
        bareOverCeiling: round(
          median(withBare.map((p) => p.bare.requestsPerSecond / p.ceiling.requestsPerSecond)),
        ),
      }
    : {};
  return {
    ...bareFigures,
    answerBytes: Buffer.byteLength(again.text),
    responseCache: again.headers.get('x-response-cache'),
    apiRequestsPerSecond: round(median(pairs.map((p) => p.api.requestsPerSecond)), 0),
    ceilingRequestsPerSecond: round(median(pairs.map((p) => p.ceiling.requestsPerSecond)), 0),
    throughputRatio: round(median(pairs.map((p) => p.api.requestsPerSecond / p.ceiling.requestsPerSecond))),
    apiP50Ms: round(median(pairs.map((p) => p.api.p50Ms)), 2),
    ceilingP50Ms: round(median(pairs.map((p) => p.ceiling.p50Ms)), 2),
    p50Ratio: round(median(pairs.map((p) => p.api.p50Ms / p.ceiling.p50Ms)), 2),
    apiP99Ms: round(median(pairs.map((p) => p.api.p99Ms)), 2),
    runs: pairs,
  };
}

/** Per-request time at one connection (no queueing): wrk's p50 over a short run, after one warm-up request. */
async function perRequest(api: ApiProcess, query: string): Promise<number> {
  const body = JSON.stringify({ query });
  await api.post(body);
  const runs: number[] = [];
  for (let i = 0; i < REPEATS; i++)
    runs.push((await wrk(api.url, body, { connections: 1, seconds: 4, threads: 1 })).p50Ms);
  return round(median(runs), 2);
}

async function namespaceOf(api: ApiProcess): Promise<string> {
  const res = await api.post(
    JSON.stringify({ query: '{ gpuScoreStats { byNamespace { namespace count } } }' }),
  );
  const stats = (
    JSON.parse(res.text) as {
      data: { gpuScoreStats: { byNamespace: { namespace: string; count: number }[] } };
    }
  ).data.gpuScoreStats.byNamespace;
  return [...stats].sort((a, b) => b.count - a.count)[0]!.namespace;
}

async function main(): Promise<void> {
  if (process.env.BENCH_SKIP_BUILD !== '1') {
    execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
    execFileSync('npx', ['tsc-alias', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
  }
  const flags = process.env.BENCH_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
    : [];
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const at10k: Record<string, unknown> = {};
  let namespace = '';
  // 'on, analyzer idle': the serving path alone, without the embedded simulator's and analyzer's periodic whole-fleet
  // cycle sharing the process (the ceiling has neither).
  // BENCH_CONFIGS='on;off' picks some of them (a profile of one path, repeated runs within a session's time); ';'
  // because a name holds a comma.
  const configs = ['on', 'off', 'on, analyzer idle'].filter(
    (c) => !process.env.BENCH_CONFIGS || process.env.BENCH_CONFIGS.split(';').includes(c),
  );
  for (const cache of process.env.BENCH_ONLY_SIZES === '1' ? [] : configs) {
    const env = {
      RESPONSE_CACHE_ENABLED: String(cache !== 'off'),
      ...(cache === 'on, analyzer idle' ? { ANALYZER_INTERVAL_SECONDS: '3600' } : {}),
    };
    const api = await startApi(SCENARIO_10K, env, flags);
    try {
      namespace ||= await namespaceOf(api);
      process.stderr.write(`10k, cache ${cache}\n`);
      // Executed answers (cache off) are also measured against bare graphql-js on the same document and data.
      const bare = cache === 'off';
      at10k[`cache ${cache}`] = {
        gpus: await versusCeiling(api, GPUS, { bare }),
        gpuScores: await versusCeiling(api, scores(namespace), { bare }),
      };
    } finally {
      await api.stop();
    }
  }
  const header = {
    machine: { cpus: execFileSync('nproc').toString().trim(), loadAverageAtStart: load },
    wrk: { connections: CONNECTIONS, threads: 2, seconds: SECONDS, repeats: REPEATS },
    namespace,
    at10k,
  };
  record('graph', { ...header, partial: true });
  if (process.env.BENCH_SKIP_SIZES === '1') return;
  // Twice: with the analyzer cycling at its default interval (its whole-fleet cycle, simulator included, shares the
  // process with the requests), and with the analyzer idle after its first cycle (the page path alone).
  const sizes: Record<string, unknown> = {};
  const idleSizes: Record<string, unknown> = {};
  for (const [into, env] of [
    [sizes, {}],
    [idleSizes, { ANALYZER_INTERVAL_SECONDS: '3600' }],
  ] as const)
    for (const gpus of [1_000, 10_000, 50_000]) {
      const api = await startApi(scenarioOf(gpus), { RESPONSE_CACHE_ENABLED: 'false', ...env });
      try {
        const ns = await namespaceOf(api);
        process.stderr.write(`per-request at ${gpus} GPUs ${JSON.stringify(env)}\n`);
        into[`${gpus / 1000}k`] = {
          gpusP50Ms: await perRequest(api, GPUS),
          gpuScoresP50Ms: await perRequest(api, scores(ns)),
        };
      } finally {
        await api.stop();
      }
    }
  const p = (k: string, from: Record<string, unknown> = sizes) =>
    from[k] as { gpusP50Ms: number; gpuScoresP50Ms: number };
  record('graph', {
    ...header,
    loadAverageAtEnd: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
    perRequestCacheOff: sizes,
    scaling50kOver1k: {
      gpus: round(p('50k').gpusP50Ms / p('1k').gpusP50Ms, 2),
      gpuScores: round(p('50k').gpuScoresP50Ms / p('1k').gpuScoresP50Ms, 2),
    },
    perRequestCacheOffAnalyzerIdle: idleSizes,
    scaling50kOver1kAnalyzerIdle: {
      gpus: round(p('50k', idleSizes).gpusP50Ms / p('1k', idleSizes).gpusP50Ms, 2),
      gpuScores: round(p('50k', idleSizes).gpuScoresP50Ms / p('1k', idleSizes).gpuScoresP50Ms, 2),
    },
  });
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`${String(e instanceof Error ? e.stack : e)}\n`);
    process.exit(1);
  },
);
