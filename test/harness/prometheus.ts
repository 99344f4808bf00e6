import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';
import { pollUntil } from './poll';

export interface ScrapeJob {
  readonly jobName: string;
  /** host:port of the targets */
  readonly targets: readonly string[];
  readonly metricsPath: string;
  /** false reproduces the usual Kubernetes scrape: colliding exporter labels arrive as exported_*. */
  readonly honorLabels: boolean;
  /** Target labels, e.g. the Kubernetes ones a ServiceMonitor attaches (namespace, pod, container). */
  readonly labels?: Readonly<Record<string, string>>;
  readonly scrapeIntervalSeconds?: number;
  /** Several target groups instead of `targets`/`labels`, e.g. per-node `__metrics_path__` and `node` labels. */
  readonly targetGroups?: readonly { readonly targets: readonly string[]; readonly labels: Readonly<Record<string, string>> }[];
}

export interface RunningPrometheus {
  readonly url: string;
  readonly port: number;
  /** Resolves when every target reports health "up" and has been scraped at least `scrapes` times. */
  waitForTargets(expected: number, timeoutMs?: number): Promise<void>;
  /** SIGKILL (a crash: nothing flushed); the TSDB directory is kept for `restart`. (Prometheus only, not VM.) */
  kill?(): Promise<void>;
  /** Starts the same Prometheus again on the same port and TSDB (WAL replayed); resolves once it is ready. */
  restart?(): Promise<void>;
  stop(): Promise<void>;
}

const BINARY = process.env.PROMETHEUS_BIN ?? 'prometheus';

/** Starts Debian's Prometheus on a free port with a throw-away TSDB, scraping the given jobs every second. */
export async function startPrometheus(
  jobs: readonly ScrapeJob[],
  opts: { scrapeIntervalSeconds?: number } = {},
): Promise<RunningPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'kcloud-prom-'));
  const port = await freePort();
  const interval = opts.scrapeIntervalSeconds ?? 1;
  const config = {
    global: {
      scrape_interval: `${interval}s`,
      evaluation_interval: `${interval}s`,
      scrape_timeout: `${interval}s`,
    },
    scrape_configs: jobs.map((j) => ({
      job_name: j.jobName,
      honor_labels: j.honorLabels,
      metrics_path: j.metricsPath,
      scrape_interval: `${j.scrapeIntervalSeconds ?? interval}s`,
      scrape_timeout: `${j.scrapeIntervalSeconds ?? interval}s`,
      static_configs: j.targetGroups ?? [{ targets: j.targets, labels: j.labels ?? {} }],
    })),
  };
  // JSON is valid YAML, so no YAML writer is needed for the config file.
  writeFileSync(join(dir, 'prometheus.yml'), JSON.stringify(config, null, 2));
  const args = [
    `--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--web.enable-lifecycle',
    '--log.level=warn',
    '--storage.tsdb.retention.time=1h',
  ];
  let child!: ChildProcess;
  let exited!: Promise<void>;
  let stderr = '';
  const url = `http://127.0.0.1:${port}`;
  const launch = async () => {
    child = spawn(BINARY, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    const proc = child;
    exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    await pollUntil(
      'prometheus ready',
      async () => {
        if (proc.exitCode !== null) throw new Error(`prometheus exited: ${stderr}`);
        const res = await fetch(`${url}/-/ready`);
        return res.ok ? true : undefined;
      },
      { timeoutMs: 30000 },
    );
  };
  try {
    await launch();
  } catch (e) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }

  return {
    url,
    port,
    async waitForTargets(expected, timeoutMs = 60000) {
      await pollUntil(
        `${expected} targets up`,
        async () => {
          const res = await fetch(`${url}/api/v1/targets?state=active`);
          const body = (await res.json()) as {
            data: { activeTargets: { health: string; lastScrape: string }[] };
          };
          const up = body.data.activeTargets.filter((t) => t.health === 'up').length;
          return up >= expected ? true : undefined;
        },
        { timeoutMs, intervalMs: 250 },
      );
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async restart() {
      await launch();
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) {
        rmSync(dir, { recursive: true, force: true });
        return;
      }
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Waits until an instant query returns at least `min` series: the data the test needs has been ingested. */
export async function waitForSeries(
  promUrl: string,
  query: string,
  min: number,
  timeoutMs = 30000,
): Promise<void> {
  await pollUntil(
    `${min} series for ${query}`,
    async () => {
      const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(query)}`);
      const body = (await res.json()) as { data?: { result?: unknown[] } };
      return (body.data?.result?.length ?? 0) >= min ? true : undefined;
    },
    { timeoutMs },
  );
}
