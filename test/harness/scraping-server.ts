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
  readonly targetGroups?: readonly {
    readonly targets: readonly string[];
    readonly labels: Readonly<Record<string, string>>;
  }[];
}

export interface RunningPrometheus {
  readonly url: string;
  readonly port: number;
  /** Resolves when every target reports health "up". */
  waitForTargets(expected: number, timeoutMs?: number): Promise<void>;
  /** SIGKILL (a crash: nothing flushed); the storage directory is kept for `restart`. */
  kill(): Promise<void>;
  /** Starts the same server again on the same port and storage (WAL replayed); resolves once it is ready. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** What differs between the Prometheus-compatible servers the suites run: the binary, its flags, its ready probe. */
export interface ScrapingServerKind {
  /** For messages and the temporary directory's name. */
  readonly name: string;
  readonly binary: string;
  readonly readyPath: string;
  /** The `global` section of the scrape config for a default interval. */
  global(intervalSeconds: number): Record<string, string>;
  /** Command-line flags for a config file, a storage directory and a port. */
  args(paths: { readonly configFile: string; readonly dataDir: string; readonly port: number }): string[];
}

/** The scrape config both servers read (JSON is valid YAML, so no YAML writer is needed). */
export function scrapeConfig(
  jobs: readonly ScrapeJob[],
  intervalSeconds: number,
  global: Record<string, string>,
) {
  return {
    global,
    scrape_configs: jobs.map((j) => ({
      job_name: j.jobName,
      honor_labels: j.honorLabels,
      metrics_path: j.metricsPath,
      scrape_interval: `${j.scrapeIntervalSeconds ?? intervalSeconds}s`,
      scrape_timeout: `${j.scrapeIntervalSeconds ?? intervalSeconds}s`,
      static_configs: j.targetGroups ?? [{ targets: j.targets, labels: j.labels ?? {} }],
    })),
  };
}

/**
 * Starts a Prometheus-compatible server on a free port with throw-away storage, scraping `jobs` (every second
 * unless told otherwise) and serving the Prometheus HTTP API; `kill` + `restart` reproduce a crash on the same port.
 */
export async function startScrapingServer(
  kind: ScrapingServerKind,
  jobs: readonly ScrapeJob[],
  opts: { scrapeIntervalSeconds?: number } = {},
): Promise<RunningPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), `kcloud-${kind.name}-`));
  const port = await freePort();
  const interval = opts.scrapeIntervalSeconds ?? 1;
  const configFile = join(dir, 'scrape.yml');
  writeFileSync(configFile, JSON.stringify(scrapeConfig(jobs, interval, kind.global(interval)), null, 2));
  const args = kind.args({ configFile, dataDir: join(dir, 'data'), port });
  const url = `http://127.0.0.1:${port}`;
  let child!: ChildProcess;
  let exited!: Promise<void>;
  let stderr = '';
  const running = () => child.exitCode === null && child.signalCode === null;
  const launch = async () => {
    child = spawn(kind.binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    const proc = child;
    exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    await pollUntil(
      `${kind.name} ready`,
      async () => {
        if (proc.exitCode !== null) throw new Error(`${kind.name} exited: ${stderr}`);
        const res = await fetch(`${url}${kind.readyPath}`);
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
          const body = (await res.json()) as { data: { activeTargets: { health: string }[] } };
          const up = body.data.activeTargets.filter((t) => t.health === 'up').length;
          return up >= expected ? true : undefined;
        },
        { timeoutMs, intervalMs: 250 },
      );
    },
    async kill() {
      if (running()) child.kill('SIGKILL');
      await exited;
    },
    restart: launch,
    async stop() {
      if (running()) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
