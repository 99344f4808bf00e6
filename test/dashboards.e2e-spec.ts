import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultScenario, FleetModel } from '@kcloud/fleet-model';
import { DASHBOARDS } from '../scripts/dashboards/build';
import { type GlobalView, startGlobalView } from './harness/global-view';
import { pollUntil } from './harness/poll';
import { type RunningPrometheus, type ScrapeJob, startPrometheus } from './harness/prometheus';

/**
 * Every panel query of the committed dashboards, run against a real Prometheus that scrapes the API's /metrics (as
 * job kcloud-monitor, like the ServiceMonitor and docker-compose) and the fleet simulator's exporters (each scrape
 * labelled `cluster`, as a global view is). Grafana's variables are substituted first, as Grafana would.
 */
const DIR = join(__dirname, '..', 'deploy', 'grafana', 'dashboards');
const CHART_DIR = join(__dirname, '..', 'charts', 'kcloud-monitor', 'dashboards');
const SCRAPE_SECONDS = 1;
const VARIABLES: Readonly<Record<string, string>> = {
  // Longest first: $__interval must not eat $__interval_ms.
  $__rate_interval: `${4 * SCRAPE_SECONDS * 5}s`,
  $__interval_ms: '2000',
  $__interval: '2s',
  $__range: '10m',
  $datasource: 'prometheus',
  $cluster: '.*',
  $job: 'kcloud-monitor',
};

interface Panel {
  readonly title?: string;
  readonly type: string;
  readonly targets?: readonly { readonly expr: string; readonly refId: string }[];
}
interface Dashboard {
  readonly uid: string;
  readonly title: string;
  readonly panels: readonly Panel[];
  readonly templating: { readonly list: readonly { readonly name: string; readonly query?: unknown }[] };
}

const substitute = (expr: string): string =>
  Object.entries(VARIABLES).reduce((e, [name, value]) => e.split(name).join(value), expr);

const dashboards: readonly [string, Dashboard][] = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => [f, JSON.parse(readFileSync(join(DIR, f), 'utf8')) as Dashboard]);
const queries = dashboards.flatMap(([file, d]) =>
  d.panels.flatMap((p) =>
    (p.targets ?? []).map((t) => [`${file} › ${p.title ?? p.type} [${t.refId}]`, t.expr] as const),
  ),
);

/** Instant query; the series returned (an error answer throws). */
async function instant(prom: RunningPrometheus, expr: string): Promise<number> {
  const res = await fetch(`${prom.url}/api/v1/query?query=${encodeURIComponent(expr)}`);
  const body = (await res.json()) as { status: string; error?: string; data?: { result: unknown[] } };
  if (body.status !== 'success') throw new Error(`${expr}: ${body.error ?? res.status}`);
  return body.data!.result.length;
}

describe('Grafana dashboards', () => {
  it('are the committed output of `npm run dashboards`, also shipped in the chart', () => {
    expect(dashboards.map(([f]) => f)).toEqual(Object.keys(DASHBOARDS).sort());
    for (const [file, d] of dashboards) {
      expect(d).toEqual(JSON.parse(JSON.stringify(DASHBOARDS[file as keyof typeof DASHBOARDS]().build())));
      expect(readFileSync(join(CHART_DIR, file), 'utf8')).toBe(readFileSync(join(DIR, file), 'utf8'));
      expect(d.templating.list.map((v) => v.name)).toEqual(['datasource', 'job', 'cluster']);
    }
    expect(queries.length).toBeGreaterThan(20);
  });

  describe('every panel query returns data from a Prometheus scraping the API and fleet-sim', () => {
    const model = new FleetModel(defaultScenario());
    let view: GlobalView;
    let monitoring: RunningPrometheus;

    beforeAll(async () => {
      // The API's data source: a global view over both clusters.
      view = await startGlobalView(model, {
        env: { ANALYZER_INTERVAL_SECONDS: '1', ANALYZER_WINDOW_SECONDS: '5' },
      });
      // The monitoring Prometheus Grafana reads: the API as job kcloud-monitor plus the same exporters.
      const apiJob: ScrapeJob = {
        jobName: 'kcloud-monitor',
        targets: [new URL(view.api.url).host],
        metricsPath: '/metrics',
        honorLabels: true,
      };
      monitoring = await startPrometheus([apiJob, ...view.jobs], {
        scrapeIntervalSeconds: SCRAPE_SECONDS,
      });
      await monitoring.waitForTargets(view.jobs.length + 1);
      // Traffic for the API panels, one answer an error (api_errors_total exists once something failed).
      await pollUntil(
        'scores exported',
        async () => ((await instant(monitoring, 'gpu_utilization_score')) > 0 ? true : undefined),
        {
          timeoutMs: 60_000,
        },
      );
      await fetch(`${view.api.url}/api/v1/no-such-route`);
      await fetch(`${view.api.url}/health/ready`);
    }, 180_000);

    afterAll(async () => {
      await monitoring?.stop();
      await view?.close();
    });

    it.each(queries)('%s', async (_panel, expr) => {
      const query = substitute(expr);
      expect(query).not.toMatch(/\$/);
      await pollUntil(
        `data for ${query}`,
        async () => ((await instant(monitoring, query)) > 0 ? true : undefined),
        {
          timeoutMs: 60_000,
          intervalMs: 1000,
        },
      );
    });

    it('the gauges the alert rules need: build info, analyzer leader, last successful cycle, upstream up', async () => {
      const version = (
        JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }
      ).version;
      expect(
        await instant(monitoring, `kcloud_build_info{job="kcloud-monitor", version="${version}"} == 1`),
      ).toBe(1);
      expect(await instant(monitoring, 'kcloud_analyzer_leader{job="kcloud-monitor"} == 1')).toBe(1);
      // A single replica without Redis always leads; its cycles run every second here.
      expect(
        await instant(
          monitoring,
          'time() - kcloud_analyzer_last_success_timestamp_seconds{job="kcloud-monitor"} < 30',
        ),
      ).toBe(1);
      expect(await instant(monitoring, 'kcloud_upstream_up{job="kcloud-monitor"} == 1')).toBe(
        view.clusters.length,
      );
    });

    it('the cluster variable lists every cluster', async () => {
      const res = await fetch(
        `${monitoring.url}/api/v1/label/cluster/values?match[]=${encodeURIComponent('gpu_utilization_score{job="kcloud-monitor"}')}`,
      );
      expect(((await res.json()) as { data: string[] }).data.sort()).toEqual([...view.clusters].sort());
    });

    it('a panel on a metric the API does not export would fail this suite', async () => {
      expect(await instant(monitoring, substitute('max(gpu_utilisation_score{job="$job"})'))).toBe(0);
      await expect(instant(monitoring, 'sum(rate(api_requests_total[$__rate_interval]))')).rejects.toThrow();
    });
  });
});
