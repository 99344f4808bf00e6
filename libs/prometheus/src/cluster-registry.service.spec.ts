import { Test, type TestingModule } from '@nestjs/testing';
import { register } from 'prom-client';
import { Clock, type ClusterConfig, ConfigModule, DomainError, ErrorCode, loadConfig } from '@kcloud/common';
import { ClusterRegistry } from './cluster-registry.service';
import type { PrometheusRequestEvent } from './client/prometheus-client';
import { eq } from './promql/matchers';
import { selector } from './promql/expr';
import { PrometheusClientModule } from './prometheus-client.module';
import { apiError, FakePrometheus, json, vector } from './testing/fake-prometheus';

const NOW = new Date('2025-01-02T03:04:05Z');
const up = selector('up');

describe('ClusterRegistry', () => {
  let east: FakePrometheus;
  let west: FakePrometheus;
  let deadUrl: string;
  let moduleRef: TestingModule | undefined;

  async function registryWith(env: Record<string, string>): Promise<ClusterRegistry> {
    moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.fromConfig(
          loadConfig({ PROMETHEUS_RETRIES: '0', PROMETHEUS_TIMEOUT_MS: '1000', ...env }),
        ),
        PrometheusClientModule,
      ],
    })
      .overrideProvider(Clock)
      .useValue({ now: () => NOW, nowMs: () => NOW.getTime() })
      .compile();
    await moduleRef.init();
    return moduleRef.get(ClusterRegistry);
  }

  const clustersEnv = (list: readonly Partial<ClusterConfig>[]): Record<string, string> => ({
    PROMETHEUS_CLUSTERS: JSON.stringify(list),
  });

  async function errorOf(run: () => unknown): Promise<DomainError> {
    const error = await Promise.resolve()
      .then(run)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }

  beforeEach(async () => {
    [east, west] = await Promise.all([FakePrometheus.start(), FakePrometheus.start()]);
    const dead = await FakePrometheus.start();
    deadUrl = dead.url;
    await dead.stop();
  });

  afterEach(async () => {
    await moduleRef?.close();
    moduleRef = undefined;
    await Promise.all([east.stop(), west.stop()]);
  });

  it('lists configured clusters without credentials in the URL', async () => {
    const withUser = east.url.replace('http://', 'http://admin:s3cret@');
    const registry = await registryWith(
      clustersEnv([
        { name: 'east', url: withUser, labels: { region: 'eu' } },
        { name: 'west', url: west.url, tenantLabels: 'exported' },
      ]),
    );
    expect(registry.names()).toEqual(['east', 'west']);
    expect(registry.list()).toEqual([
      {
        name: 'east',
        url: east.url,
        labels: { region: 'eu' },
        status: 'unknown',
        circuit: 'CLOSED',
        tenantLabels: 'auto',
      },
      {
        name: 'west',
        url: west.url,
        labels: {},
        status: 'unknown',
        circuit: 'CLOSED',
        tenantLabels: 'exported',
      },
    ]);
    expect(JSON.stringify(registry.list())).not.toContain('s3cret');
    expect(registry.config('east').url).toBe(withUser);
    expect(registry.scopeMatchers('east')).toEqual([]);
    expect([registry.labels('east'), registry.labels('west'), registry.labels('nowhere')]).toEqual([
      { region: 'eu' },
      {},
      {},
    ]);
  });

  describe('fanOut', () => {
    it('returns the healthy clusters and one failure per failed cluster, never rejecting', async () => {
      west.handler = (_req, res) => json(res, 503, apiError('unavailable', 'overloaded'));
      east.handler = (_req, res) => json(res, 200, vector([{ metric: { job: 'a' }, value: [1, '1'] }]));
      const registry = await registryWith(
        clustersEnv([
          { name: 'east', url: east.url },
          { name: 'west', url: west.url },
          { name: 'gone', url: deadUrl },
        ]),
      );

      const { results, failures } = await registry.fanOut(undefined, (client) => client.instant(up));

      expect(results).toEqual([
        { cluster: 'east', value: [{ labels: { job: 'a' }, value: 1, timestampMs: 1000 }] },
      ]);
      expect(failures.map((f) => [f.cluster, f.code])).toEqual([
        ['west', ErrorCode.CLUSTER_UNAVAILABLE],
        ['gone', ErrorCode.CLUSTER_UNAVAILABLE],
      ]);
      const byName = Object.fromEntries(registry.list().map((c) => [c.name, c]));
      expect(byName.east).toMatchObject({ status: 'up', lastSuccessAt: NOW, lastError: undefined });
      expect(byName.east?.latencyMs).toBeGreaterThanOrEqual(0);
      // The caller's failure quotes the upstream; the shared state says only what happened to the cluster.
      expect(failures[0]?.message).toContain('overloaded');
      expect(byName.west).toMatchObject({ status: 'down', lastError: 'unavailable (HTTP 503)' });
      expect(byName.gone?.status).toBe('down');
    });

    it('runs only the selected clusters and ignores unknown names', async () => {
      const registry = await registryWith(
        clustersEnv([
          { name: 'east', url: east.url },
          { name: 'west', url: west.url },
        ]),
      );
      const seen: string[] = [];
      const { results, failures } = await registry.fanOut(
        ['west', 'nope', 'west'],
        async (_client, cluster) => seen.push(cluster.name),
      );
      expect(seen).toEqual(['west']);
      expect(results.map((r) => r.cluster)).toEqual(['west']);
      expect(failures).toEqual([]);
    });

    it('runs clusters in parallel', async () => {
      const registry = await registryWith(
        clustersEnv([
          { name: 'east', url: east.url },
          { name: 'west', url: west.url },
        ]),
      );
      let inFlight = 0;
      let peak = 0;
      await registry.fanOut(undefined, async (client) => {
        peak = Math.max(peak, ++inFlight);
        await client.instant(up);
        inFlight--;
      });
      expect(peak).toBe(2);
    });

    it('turns a cluster that does not answer in time into an UPSTREAM_TIMEOUT failure', async () => {
      west.handler = () => undefined;
      const registry = await registryWith(
        clustersEnv([
          { name: 'east', url: east.url },
          { name: 'west', url: west.url, timeoutMs: 100 },
        ]),
      );
      const { results, failures } = await registry.fanOut(undefined, (client) => client.instant(up));
      expect(results.map((r) => r.cluster)).toEqual(['east']);
      expect(failures).toEqual([
        expect.objectContaining({ cluster: 'west', code: ErrorCode.UPSTREAM_TIMEOUT }),
      ]);
    });

    it('applies an overall per-cluster deadline to the callback', async () => {
      const registry = await registryWith(clustersEnv([{ name: 'east', url: east.url }]));
      let release: () => void = () => undefined;
      const slow = new Promise<void>((resolve) => (release = resolve));
      const { failures } = await registry.fanOut(undefined, () => slow, { timeoutMs: 20 });
      release();
      expect(failures).toEqual([
        expect.objectContaining({ cluster: 'east', code: ErrorCode.UPSTREAM_TIMEOUT }),
      ]);
      expect(registry.list()[0]?.status).toBe('down');
    });

    it("reports a rejected query as UPSTREAM_ERROR to its caller only: the cluster's state is left alone", async () => {
      east.handler = (_req, res) => json(res, 400, apiError('bad_data', 'parse error'));
      const registry = await registryWith(clustersEnv([{ name: 'east', url: east.url }]));
      const { failures } = await registry.fanOut(undefined, (client) => client.instant(up));
      expect(failures).toEqual([
        expect.objectContaining({ cluster: 'east', code: ErrorCode.UPSTREAM_ERROR }),
      ]);
      expect(failures[0]?.message).toContain('parse error');
      expect(registry.list()[0]).toMatchObject({ status: 'unknown', lastError: undefined });
    });

    it('rethrows a caller error instead of blaming every cluster', async () => {
      const registry = await registryWith(
        clustersEnv([
          { name: 'east', url: east.url },
          { name: 'west', url: west.url },
        ]),
      );
      const error = await errorOf(() => registry.fanOut(undefined, async () => selector('bad-metric')));
      expect(error.code).toBe(ErrorCode.BAD_USER_INPUT);
      expect(registry.list().map((c) => c.status)).toEqual(['unknown', 'unknown']);
    });
  });

  it('shows and logs cluster URLs without userinfo or credential query parameters', async () => {
    const registry = await registryWith(
      clustersEnv([{ name: 'east', url: `${east.url}/prom?access_token=s3cret-tok&org=1` }]),
    );
    expect(registry.list()[0]?.url).toBe(`${east.url}/prom?access_token=***&org=1`);
  });

  it('redacts credentials an upstream error page echoes back', async () => {
    east.handler = (_req, res) =>
      json(res, 502, apiError('bad_gateway', 'upstream http://svc:pw-77x@thanos:9090/?token=abc123 failed'));
    const registry = await registryWith(clustersEnv([{ name: 'east', url: east.url }]));
    const { failures } = await registry.fanOut(undefined, (client) => client.instant(up));
    expect(failures[0]?.message).not.toMatch(/pw-77x|abc123/);
    expect(failures[0]?.message).toContain('thanos:9090');
  });

  it('checkAll marks reachable clusters up and dead ones down', async () => {
    const registry = await registryWith(
      clustersEnv([
        { name: 'east', url: east.url },
        { name: 'gone', url: deadUrl },
      ]),
    );
    const infos = await registry.checkAll();
    expect(infos.map((c) => [c.name, c.status])).toEqual([
      ['east', 'up'],
      ['gone', 'down'],
    ]);
    expect(infos[1]?.lastError).toContain('ECONNREFUSED');
  });

  describe('add / remove', () => {
    it('adds a validated cluster at run time and serves it', async () => {
      const registry = await registryWith({
        ...clustersEnv([{ name: 'east', url: east.url }]),
        ALLOWED_CLUSTER_HOSTS: '127.0.0.1',
      });
      const info = await registry.add({
        name: 'west',
        url: west.url,
        labels: { zone: 'b' },
      } as ClusterConfig);
      expect(info).toMatchObject({ name: 'west', status: 'unknown', labels: { zone: 'b' } });
      expect(registry.has('west')).toBe(true);
      await registry.client('west').instant(up);
      expect(west.requests).toHaveLength(1);
    });

    it.each([
      ['a bad URL', { name: 'x', url: 'ftp://x' }],
      ['a bad name', { name: '../x', url: 'http://x' }],
      ['a duplicate name', { name: 'east', url: 'http://other:9090' }],
      [
        'a cluster label value without CLUSTER_LABEL',
        { name: 'x', url: 'http://x:9090', clusterLabelValue: 'x' },
      ],
    ])('rejects %s with BAD_USER_INPUT', async (_case, config) => {
      const registry = await registryWith(clustersEnv([{ name: 'east', url: east.url }]));
      expect((await errorOf(() => registry.add(config as ClusterConfig))).code).toBe(
        ErrorCode.BAD_USER_INPUT,
      );
      expect(registry.names()).toEqual(['east']);
    });

    it.each([
      ['IPv4 loopback', 'http://127.0.0.1:9090', /127\.0\.0\.1 \(loopback\)/],
      ['another loopback address', 'http://127.42.0.1', /loopback/],
      ['a decimal-encoded loopback', 'http://2130706433:9090', /url/],
      ['a shortened loopback', 'http://127.1:9090', /url/],
      ['IPv6 loopback', 'http://[::1]:9090', /::1 \(loopback\)/],
      ['IPv4-mapped loopback', 'http://[::ffff:127.0.0.1]:9090', /loopback/],
      ['the unspecified address', 'http://0.0.0.0:9090', /unspecified/],
      ['the AWS/GCP/Azure metadata address', 'http://169.254.169.254/latest/meta-data', /link-local/],
      ['the EC2 IPv6 metadata address', 'http://[fd00:ec2::254]', /metadata/],
      [
        'the GCP metadata host name',
        'http://metadata.google.internal/computeMetadata/v1',
        /metadata service/,
      ],
      ['a name resolving to loopback', 'http://localhost:9090', /localhost' resolves to 127\.0\.0\.1/],
      ['a name resolving to the metadata address', 'http://rebind.example:9090', /169\.254\.169\.254/],
      ['a URL with userinfo', 'http://admin:s3cret@prom.example:9090', /carries credentials/],
      ['a non-http scheme', 'file:///etc/passwd', /http\(s\)/],
    ])(
      'refuses %s as a registered cluster URL (BAD_USER_INPUT, nothing contacted)',
      async (_case, url, message) => {
        const registry = await registryWith(clustersEnv([{ name: 'east', url: east.url }]));
        registry.resolver = async (host) =>
          ({ localhost: ['127.0.0.1', '::1'], 'rebind.example': ['10.0.0.7', '169.254.169.254'] })[host] ?? [
            '10.0.0.9',
          ];
        const error = await errorOf(() => registry.add({ name: 'x', url } as ClusterConfig));
        expect(error.code).toBe(ErrorCode.BAD_USER_INPUT);
        expect(error.message).toMatch(message);
        expect(error.message).not.toContain('s3cret');
        expect(registry.names()).toEqual(['east']);
      },
    );

    it('accepts private in-cluster addresses, and loopback only when ALLOWED_CLUSTER_HOSTS lists it', async () => {
      const registry = await registryWith({
        ...clustersEnv([{ name: 'east', url: east.url }]),
        ALLOWED_CLUSTER_HOSTS: '10.9.0.0/16, prom.local',
      });
      registry.resolver = async (host) => (host === 'prom.local' ? ['127.0.0.1'] : ['10.0.0.5']);
      await registry.add({ name: 'svc', url: 'http://prometheus.monitoring.svc:9090' } as ClusterConfig);
      await registry.add({ name: 'ip', url: 'http://10.96.4.2:9090' } as ClusterConfig);
      await registry.add({ name: 'listed', url: 'http://prom.local:9090' } as ClusterConfig);
      expect(
        (await errorOf(() => registry.add({ name: 'lo', url: 'http://127.0.0.1:9090' } as ClusterConfig)))
          .code,
      ).toBe(ErrorCode.BAD_USER_INPUT);
      expect(registry.names()).toEqual(['east', 'svc', 'ip', 'listed']);
    });

    it('re-checks the address at connect time: a registered name re-pointed at loopback is refused, not queried', async () => {
      const registry = await registryWith(clustersEnv([{ name: 'east', url: east.url }]));
      // Registered while "public" (fake resolver); at connect time the real resolver says localhost = loopback.
      registry.resolver = async () => ['10.0.0.5'];
      await registry.add({
        name: 'rebound',
        url: `http://localhost:${new URL(east.url).port}`,
      } as ClusterConfig);
      const { failures } = await registry.fanOut(['rebound'], (client) => client.instant(up));
      expect(failures).toEqual([
        expect.objectContaining({ cluster: 'rebound', code: ErrorCode.CLUSTER_UNAVAILABLE }),
      ]);
      expect(east.requests).toHaveLength(0);
    });

    it('removes a cluster, and NOT_FOUND for one it does not know', async () => {
      const registry = await registryWith(
        clustersEnv([
          { name: 'east', url: east.url },
          { name: 'west', url: west.url },
        ]),
      );
      registry.remove('west');
      expect(registry.names()).toEqual(['east']);
      for (const run of [
        () => registry.remove('west'),
        () => registry.client('west'),
        () => registry.config('west'),
        () => registry.scopeMatchers('west'),
      ]) {
        expect((await errorOf(run)).code).toBe(ErrorCode.NOT_FOUND);
      }
    });
  });

  describe('shared health state', () => {
    it("never copies a query's upstream error text into the cluster's lastError, and keeps it per cluster", async () => {
      const registry = await registryWith(
        clustersEnv([
          { name: 'east', url: east.url },
          { name: 'west', url: west.url },
        ]),
      );
      await registry.checkAll();
      east.handler = (_req, res) =>
        json(
          res,
          422,
          apiError('execution', 'found duplicate series for the match group {namespace="tenant-secret-ns"}'),
        );
      const rejected = await registry.fanOut(['east'], (client) => client.instant(up));
      expect(rejected.failures[0]?.message).toContain('tenant-secret-ns');
      east.handler = (_req, res) =>
        json(res, 503, apiError('unavailable', 'query {namespace="tenant-secret-ns"} too expensive'));
      await registry.fanOut(['east'], (client) => client.instant(up));
      const [eastInfo, westInfo] = registry.list();
      expect(eastInfo).toMatchObject({ name: 'east', status: 'down', lastError: 'unavailable (HTTP 503)' });
      expect(westInfo).toMatchObject({ name: 'west', status: 'up' });
      expect(westInfo?.lastError).toBeUndefined();
      expect(JSON.stringify(registry.list())).not.toContain('tenant-secret-ns');
    });
  });

  describe('request accounting', () => {
    // prom-client's default registry outlives each TestingModule, so counts are compared as deltas.
    async function eastOkCount(): Promise<number> {
      const counter = await register.getSingleMetric('prometheus_requests_total')?.get();
      return (
        counter?.values.find(
          (v) => v.labels.cluster === 'east' && v.labels.endpoint === 'query' && v.labels.outcome === 'ok',
        )?.value ?? 0
      );
    }

    it('notifies listeners, counts requests and records per-cluster metrics', async () => {
      const registry = await registryWith(
        clustersEnv([
          { name: 'east', url: east.url },
          { name: 'west', url: west.url },
        ]),
      );
      const seen: PrometheusRequestEvent[] = [];
      const before = registry.requestCount();
      const eastOkBefore = await eastOkCount();
      const off = registry.onRequest((e) => seen.push(e));
      await registry.fanOut(undefined, (client) => client.instant(up));
      off();
      await registry.fanOut(['east'], (client) => client.instant(up));

      expect(seen.map((e) => [e.cluster, e.endpoint, e.query, e.outcome])).toEqual([
        ['east', 'query', 'up', 'ok'],
        ['west', 'query', 'up', 'ok'],
      ]);
      expect(registry.requestCount() - before).toBe(3);
      expect((await eastOkCount()) - eastOkBefore).toBe(2);
      const histogram = await register.getSingleMetricAsString('prometheus_query_duration_seconds');
      expect(histogram).toMatch(
        /prometheus_query_duration_seconds_count\{cluster="west",endpoint="query",outcome="ok"\} \d+/,
      );

      registry.remove('east');
      expect(await register.getSingleMetricAsString('prometheus_requests_total')).not.toContain(
        'cluster="east"',
      );
    });

    it('keeps serving when a listener throws', async () => {
      const registry = await registryWith(clustersEnv([{ name: 'east', url: east.url }]));
      registry.onRequest(() => {
        throw new Error('broken listener');
      });
      const { results } = await registry.fanOut(undefined, (client) => client.instant(up));
      expect(results).toHaveLength(1);
    });
  });

  describe('global endpoint mode', () => {
    it('discovers one virtual cluster per CLUSTER_LABEL value, scoped by a matcher', async () => {
      east.handler = (req, res) =>
        req.path === '/api/v1/label/k8s_cluster/values'
          ? json(res, 200, { status: 'success', data: ['prod-a', 'prod-b', 'not a name!'] })
          : json(res, 200, vector([]));
      const registry = await registryWith({ PROMETHEUS_URL: east.url, CLUSTER_LABEL: 'k8s_cluster' });

      expect(registry.names()).toEqual(['prod-a', 'prod-b']);
      expect(registry.list().map((c) => [c.name, c.url, c.clusterLabelValue])).toEqual([
        ['prod-a', east.url, 'prod-a'],
        ['prod-b', east.url, 'prod-b'],
      ]);
      expect(registry.scopeMatchers('prod-b')).toEqual([eq('k8s_cluster', 'prod-b')]);

      await registry.fanOut(undefined, (client, cluster) =>
        client.instant(selector('up', registry.scopeMatchers(cluster.name))),
      );
      expect(east.queries().sort()).toEqual(['up{k8s_cluster="prod-a"}', 'up{k8s_cluster="prod-b"}']);
      expect(await registry.discover()).toEqual([]);
    });

    it('serves the endpoint as one cluster when discovery fails at boot', async () => {
      const registry = await registryWith({ PROMETHEUS_URL: deadUrl, CLUSTER_LABEL: 'cluster' });
      expect(registry.names()).toEqual(['default']);
      expect(registry.scopeMatchers('default')).toEqual([]);
    });

    it('scopes explicitly configured clusters that share one endpoint', async () => {
      const registry = await registryWith({
        CLUSTER_LABEL: 'cluster',
        ...clustersEnv([
          { name: 'a', url: east.url, clusterLabelValue: 'a"b' },
          { name: 'b', url: east.url, clusterLabelValue: 'b' },
        ]),
      });
      expect(registry.scopeMatchers('a')).toEqual([eq('cluster', 'a"b')]);
      expect(east.requests).toHaveLength(0);
    });

    it('refuses to boot with clusterLabelValue but no CLUSTER_LABEL', async () => {
      await expect(
        registryWith(clustersEnv([{ name: 'a', url: east.url, clusterLabelValue: 'a' }])),
      ).rejects.toThrow(/CLUSTER_LABEL/);
    });
  });
});
