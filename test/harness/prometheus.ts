import { pollUntil } from './poll';
import {
  type RunningPrometheus,
  type ScrapeJob,
  type ScrapingServerKind,
  startScrapingServer,
} from './scraping-server';

export type { RunningPrometheus, ScrapeJob } from './scraping-server';

const PROMETHEUS: ScrapingServerKind = {
  name: 'prometheus',
  binary: process.env.PROMETHEUS_BIN ?? 'prometheus',
  readyPath: '/-/ready',
  global: (interval) => ({
    scrape_interval: `${interval}s`,
    evaluation_interval: `${interval}s`,
    scrape_timeout: `${interval}s`,
  }),
  args: ({ configFile, dataDir, port }) => [
    `--config.file=${configFile}`,
    `--storage.tsdb.path=${dataDir}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--web.enable-lifecycle',
    '--log.level=warn',
    '--storage.tsdb.retention.time=1h',
  ],
};

/** Starts Debian's Prometheus on a free port with a throw-away TSDB, scraping the given jobs every second. */
export function startPrometheus(
  jobs: readonly ScrapeJob[],
  opts: { scrapeIntervalSeconds?: number } = {},
): Promise<RunningPrometheus> {
  return startScrapingServer(PROMETHEUS, jobs, opts);
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
