import { defaultScenario, FleetModel } from '@kcloud/fleet-model';
import { type RunningApp, startApp } from './harness/app';
import { freePort } from './harness/free-port';
import { gql } from './harness/graphql-client';
import { type ScrapedCluster, startScrapedCluster } from './harness/scraped-cluster';
import { at } from './harness/indexed';

/**
 * One real cluster (Prometheus scraping fleet-sim) and one whose Prometheus URL is a port nobody listens on: every
 * list field keeps the live cluster's rows and names the dead cluster in an error whose path is the key the client
 * reads the field under — its alias when it gave one (the hand-written paths said `gpus` for `fleet: gpus`).
 */
describe('partial-failure errors at the field’s response path (aliases included)', () => {
  const scenario = { ...defaultScenario(), tickSeconds: 3600 };
  const model = new FleetModel(scenario);
  const east = at(scenario.clusters, 0, 'scenario cluster').name;
  const gone = 'gone';
  let live: ScrapedCluster;
  let api: RunningApp;

  beforeAll(async () => {
    live = await startScrapedCluster(model, east);
    api = await startApp({
      LOG_LEVEL: 'error',
      PROMETHEUS_CLUSTERS: JSON.stringify([
        { name: east, url: live.prometheus.url, timeoutMs: 5000 },
        { name: gone, url: `http://127.0.0.1:${await freePort()}`, timeoutMs: 2000 },
      ]),
      PROMETHEUS_RETRIES: '0',
      CACHE_TTL_REALTIME_SECONDS: '0',
      ANALYZER_ENABLED: 'false',
    });
  });

  afterAll(async () => {
    await api?.app.close();
    await live?.close();
  });

  const unavailable = { code: 'CLUSTER_UNAVAILABLE', cluster: gone };

  it('reports the dead cluster under the alias of a paged list (gpus), with the live cluster’s rows', async () => {
    const res = await gql<{ fleet: { totalCount: number } }>(
      api.url,
      '{ fleet: gpus(first: 1000) { totalCount } }',
    );
    expect(res.data!.fleet.totalCount).toBe(model.gpus(east).length);
    expect(res.errors).toEqual([
      expect.objectContaining({ path: ['fleet'], extensions: expect.objectContaining(unavailable) }),
    ]);
  });

  it('reports it under each alias in its own request: nodes, pods, ipmiPowerSensors, power', async () => {
    for (const [alias, field] of [
      ['machines', 'nodes { totalCount }'],
      ['workloads', 'pods { totalCount }'],
      ['psus', 'ipmiPowerSensors { node }'],
      ['watts', 'power { totalWatts }'],
    ] as const) {
      const res = await gql(api.url, `{ ${alias}: ${field} }`);
      expect(res.data?.[alias]).toBeDefined();
      expect(res.errors?.map((e) => [e.path, e.extensions?.code, e.extensions?.cluster])).toEqual([
        [[alias], 'CLUSTER_UNAVAILABLE', gone],
      ]);
    }
  });

  it('reports it under the field name when the client gives no alias', async () => {
    const res = await gql(api.url, '{ npus { totalCount } }');
    expect(res.errors?.map((e) => e.path)).toEqual([['npus']]);
  });
});
