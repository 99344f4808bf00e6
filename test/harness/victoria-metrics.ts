import {
  type RunningPrometheus,
  type ScrapeJob,
  type ScrapingServerKind,
  startScrapingServer,
} from './scraping-server';

const VICTORIA_METRICS: ScrapingServerKind = {
  name: 'victoria-metrics',
  binary: process.env.VICTORIA_METRICS_BIN ?? 'victoria-metrics',
  readyPath: '/health',
  global: (interval) => ({ scrape_interval: `${interval}s`, scrape_timeout: `${interval}s` }),
  args: ({ configFile, dataDir, port }) => [
    `-promscrape.config=${configFile}`,
    `-storageDataPath=${dataDir}`,
    `-httpListenAddr=127.0.0.1:${port}`,
    '-retentionPeriod=1d',
    '-loggerLevel=ERROR',
    // VM hides the newest 30 s of samples by default (latencyOffset); tests read what was just scraped. The suite
    // also passes with VM's default (VM_LATENCY_OFFSET=30s), only slower to see the first samples.
    `-search.latencyOffset=${process.env.VM_LATENCY_OFFSET ?? '0s'}`,
    '-search.disableCache',
  ],
};

/**
 * Starts Debian's single-node VictoriaMetrics (`victoria-metrics`) on a free port with a throw-away storage, scraping
 * the given jobs every second through its built-in Prometheus-compatible scraper (`-promscrape.config`), and
 * serving the Prometheus query API on the same port.
 */
export function startVictoriaMetrics(
  jobs: readonly ScrapeJob[],
  opts: { scrapeIntervalSeconds?: number } = {},
): Promise<RunningPrometheus> {
  return startScrapingServer(VICTORIA_METRICS, jobs, opts);
}
