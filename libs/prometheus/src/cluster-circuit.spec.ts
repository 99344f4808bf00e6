import { Test, type TestingModule } from '@nestjs/testing';
import { register } from 'prom-client';
import { ConfigModule, ErrorCode, loadConfig, withUpstreamSignal } from '@kcloud/common';
import { ClusterProber } from './cluster-prober.service';
import { ClusterRegistry } from './cluster-registry.service';
import { selector } from './promql/expr';
import { PrometheusClientModule } from './prometheus-client.module';
import { apiError, FakePrometheus, json, vector } from './testing/fake-prometheus';

const up = selector('up');

/** Circuit breakers per cluster, as the registry wires them: what counts, fail-fast, probes, gauges. */
describe('ClusterRegistry circuit breakers', () => {
  let east: FakePrometheus;
  let moduleRef: TestingModule | undefined;

  async function registryWith(env: Record<string, string>): Promise<ClusterRegistry> {
    moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.fromConfig(
          loadConfig({
            PROMETHEUS_CLUSTERS: JSON.stringify([{ name: 'east', url: east.url, timeoutMs: 100 }]),
            PROMETHEUS_RETRIES: '0',
            CIRCUIT_BREAKER_CONSECUTIVE_FAILURES: '3',
            CIRCUIT_BREAKER_HALF_OPEN_AFTER_SECONDS: '1',
            ...env,
          }),
        ),
        PrometheusClientModule,
      ],
    }).compile();
    await moduleRef.init();
    return moduleRef.get(ClusterRegistry);
  }

  const query = (registry: ClusterRegistry) => registry.fanOut(undefined, (client) => client.instant(up));
  const circuitOf = (registry: ClusterRegistry) => registry.list()[0]?.circuit;
  /** East never answers; its prober is started and three timed-out queries have opened the circuit. */
  async function openedWithProber(): Promise<{ registry: ClusterRegistry; prober: ClusterProber }> {
    east.handler = () => undefined;
    const registry = await registryWith({
      HEALTH_PROBE_INTERVAL_SECONDS: '3600',
      HEALTH_PROBE_TIMEOUT_MS: '100',
    });
    const prober = moduleRef!.get(ClusterProber);
    prober.start();
    for (let i = 0; i < 3; i++) await query(registry);
    return { registry, prober };
  }
  const gauges = async () =>
    (await register.metrics()).split('\n').filter((l) => /^kcloud_upstream_\w+\{cluster="east"\}/.test(l));

  beforeEach(async () => {
    east = await FakePrometheus.start();
  });

  afterEach(async () => {
    await moduleRef?.close();
    moduleRef = undefined;
    await east.stop();
  });

  it('opens after consecutive timeouts, then refuses at once with CLUSTER_UNAVAILABLE without a request', async () => {
    east.handler = () => undefined;
    const registry = await registryWith({});
    for (let i = 0; i < 3; i++) await query(registry);
    expect(circuitOf(registry)).toBe('OPEN');
    expect(await gauges()).toEqual([
      'kcloud_upstream_circuit_state{cluster="east"} 1',
      'kcloud_upstream_up{cluster="east"} 0',
    ]);
    // "At once" is shown by no request reaching the upstream (a time bound would depend on the shared CI host).
    const seen = east.requests.length;
    const { failures } = await query(registry);
    expect(failures).toEqual([
      expect.objectContaining({ cluster: 'east', code: ErrorCode.CLUSTER_UNAVAILABLE }),
    ]);
    expect(failures[0]?.message).toContain('circuit open');
    expect(east.requests.length).toBe(seen);
    // The failure that opened it stays the cluster's last error.
    expect(registry.list()[0]).toMatchObject({ status: 'down', lastError: 'no answer within 100 ms' });
  });

  it('opens on the failure ratio over the last requests, even when failures are not consecutive', async () => {
    let n = 0;
    east.handler = (_req, res) =>
      n++ % 2 ? json(res, 503, apiError('unavailable', 'overloaded')) : json(res, 200, vector([]));
    const registry = await registryWith({
      CIRCUIT_BREAKER_CONSECUTIVE_FAILURES: '100',
      CIRCUIT_BREAKER_FAILURE_RATIO: '0.4',
      CIRCUIT_BREAKER_WINDOW_REQUESTS: '6',
    });
    for (let i = 0; i < 6; i++) await query(registry);
    expect(circuitOf(registry)).toBe('OPEN');
  });

  it('never counts rejected queries, oversize answers or cancelled callers against the cluster', async () => {
    const registry = await registryWith({ PROMETHEUS_MAX_RESPONSE_BYTES: '1024' });
    east.handler = (_req, res) => json(res, 400, apiError('bad_data', 'parse error'));
    for (let i = 0; i < 4; i++) await query(registry);
    east.handler = (_req, res) =>
      json(res, 200, vector([{ metric: { pad: 'x'.repeat(4096) }, value: [1, '1'] }]));
    for (let i = 0; i < 4; i++) await query(registry);
    east.handler = () => undefined;
    for (let i = 0; i < 4; i++) {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 10);
      await withUpstreamSignal(controller.signal, () => query(registry));
    }
    expect(circuitOf(registry)).toBe('CLOSED');
  });

  it('counts one logical request once, whatever its retries', async () => {
    east.handler = (_req, res) => json(res, 503, apiError('unavailable', 'overloaded'));
    const registry = await registryWith({ PROMETHEUS_RETRIES: '2' });
    await query(registry);
    await query(registry);
    expect(east.requests.length).toBe(6);
    expect(circuitOf(registry)).toBe('CLOSED');
    await query(registry);
    expect(circuitOf(registry)).toBe('OPEN');
  });

  it('with the prober running, only a probe tests the open circuit after the cooldown, and closes it on success', async () => {
    const { registry, prober } = await openedWithProber();
    expect(circuitOf(registry)).toBe('OPEN');
    east.handler = (_req, res) => json(res, 200, vector([]));
    await new Promise((r) => setTimeout(r, 1100));
    // Cooled down, but a caller still fails fast: the test is the prober's.
    const refused = await query(registry);
    expect(refused.failures[0]?.code).toBe(ErrorCode.CLUSTER_UNAVAILABLE);
    await prober.runRound();
    expect(registry.list()[0]).toMatchObject({ status: 'up', circuit: 'CLOSED' });
    expect((await query(registry)).failures).toEqual([]);
    expect(await gauges()).toEqual([
      'kcloud_upstream_circuit_state{cluster="east"} 0',
      'kcloud_upstream_up{cluster="east"} 1',
    ]);
  });

  it('without a prober, the first request after the cooldown is the test (as in plain cockatiel)', async () => {
    east.handler = () => undefined;
    const registry = await registryWith({});
    for (let i = 0; i < 3; i++) await query(registry);
    east.handler = (_req, res) => json(res, 200, vector([]));
    await new Promise((r) => setTimeout(r, 1100));
    expect((await query(registry)).failures).toEqual([]);
    expect(circuitOf(registry)).toBe('CLOSED');
  });

  it('a failed half-open probe opens the circuit again; a probe round is bounded by its budget', async () => {
    const { registry, prober } = await openedWithProber();
    await new Promise((r) => setTimeout(r, 1100));
    const started = performance.now();
    await prober.runRound();
    // The upstream never answers: an unbounded round would run until jest's timeout; 100 ms budget, generous margin.
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(circuitOf(registry)).toBe('OPEN');
  });

  it('a probe round discovers cluster label values that appear after boot on a global endpoint', async () => {
    let values: string[] = [];
    east.handler = (req, res) =>
      req.path === '/api/v1/label/cluster/values'
        ? json(res, 200, { status: 'success', data: values })
        : json(res, 200, vector([]));
    const registry = await registryWith({
      PROMETHEUS_CLUSTERS: '',
      PROMETHEUS_URL: east.url,
      CLUSTER_LABEL: 'cluster',
    });
    expect(registry.names()).toEqual(['default']);
    values = ['prod-a', 'prod-b'];
    await moduleRef!.get(ClusterProber).runRound();
    expect(registry.list().map((c) => [c.name, c.status])).toEqual([
      ['prod-a', 'up'],
      ['prod-b', 'up'],
    ]);
  });
});
