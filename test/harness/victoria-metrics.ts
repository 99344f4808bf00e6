import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';
import { pollUntil } from './poll';
import type { RunningPrometheus, ScrapeJob } from './prometheus';

const BINARY = process.env.VICTORIA_METRICS_BIN ?? 'victoria-metrics';

/**
 * Starts Debian's single-node VictoriaMetrics (`victoria-metrics`) on a free port with a throw-away storage, scraping
 * the given jobs every second through its built-in Prometheus-compatible scraper (`-promscrape.config`), and
 * serving the Prometheus query API on the same port. `extraLabels` are added to every target (e.g. `cluster`).
 */
export async function startVictoriaMetrics(
  jobs: readonly ScrapeJob[],
  opts: { scrapeIntervalSeconds?: number } = {},
): Promise<RunningPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'kcloud-vm-'));
  const port = await freePort();
  const interval = opts.scrapeIntervalSeconds ?? 1;
  const config = {
    global: { scrape_interval: `${interval}s`, scrape_timeout: `${interval}s` },
    scrape_configs: jobs.map((j) => ({
      job_name: j.jobName,
      honor_labels: j.honorLabels,
      metrics_path: j.metricsPath,
      scrape_interval: `${j.scrapeIntervalSeconds ?? interval}s`,
      scrape_timeout: `${j.scrapeIntervalSeconds ?? interval}s`,
      static_configs: j.targetGroups ?? [{ targets: j.targets, labels: j.labels ?? {} }],
    })),
  };
  writeFileSync(join(dir, 'scrape.yml'), JSON.stringify(config, null, 2));
  const child: ChildProcess = spawn(
    BINARY,
    [
      `-promscrape.config=${join(dir, 'scrape.yml')}`,
      `-storageDataPath=${join(dir, 'data')}`,
      `-httpListenAddr=127.0.0.1:${port}`,
      '-retentionPeriod=1d',
      '-loggerLevel=ERROR',
      // VM hides the newest 30 s of samples by default (latencyOffset); tests read what was just scraped. The suite
      // also passes with VM's default (VM_LATENCY_OFFSET=30s), only slower to see the first samples.
      `-search.latencyOffset=${process.env.VM_LATENCY_OFFSET ?? '0s'}`,
      '-search.disableCache',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  try {
    await pollUntil(
      'victoria-metrics ready',
      async () => {
        if (child.exitCode !== null) throw new Error(`victoria-metrics exited: ${stderr}`);
        const res = await fetch(`${url}/health`);
        return res.ok ? true : undefined;
      },
      { timeoutMs: 30000 },
    );
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
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
