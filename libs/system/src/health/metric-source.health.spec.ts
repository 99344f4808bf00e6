import { HealthIndicatorService } from '@nestjs/terminus';
import type { SourceStatus } from '@kcloud/metrics-source';
import type { ClusterInfo, ClusterProber, ClusterRegistry } from '@kcloud/prometheus';
import type { GracefulShutdown } from '@kcloud/realtime';
import { MetricSourceHealthIndicator } from './metric-source.health';

const cluster = (
  name: string,
  status: ClusterInfo['status'],
  circuit: ClusterInfo['circuit'] = 'CLOSED',
): ClusterInfo => ({
  name,
  url: `http://${name}:9090`,
  labels: {},
  status,
  circuit,
  tenantLabels: 'auto',
});

function indicator(
  kind: SourceStatus['kind'],
  clusters: ClusterInfo[],
  { started = true, draining = false } = {},
) {
  let probing = false;
  const source = {
    kind,
    health: () => Promise.reject(new Error('readiness must not probe')),
  } as unknown as SourceStatus;
  const registry = { list: () => clusters } as unknown as ClusterRegistry;
  const prober = { started, start: () => (probing = true) } as unknown as ClusterProber;
  const shutdown = { draining } as GracefulShutdown;
  const health = new MetricSourceHealthIndicator(
    source,
    registry,
    prober,
    new HealthIndicatorService(),
    shutdown,
  );
  return { health, probing: () => probing };
}

describe('MetricSourceHealthIndicator (answers from recorded states only)', () => {
  it.each([
    ['one cluster up of two', [cluster('a', 'up'), cluster('b', 'down', 'OPEN')], 'up'],
    ['every cluster down', [cluster('a', 'down'), cluster('b', 'down', 'OPEN')], 'down'],
    ['nothing probed yet', [cluster('a', 'unknown')], 'down'],
  ] as const)('prometheus, %s: %s', (_what, clusters, status) => {
    expect(indicator('prometheus', [...clusters]).health.isReady().metrics?.status).toBe(status);
  });

  it('counts open circuits and says whether the first probe round is still running', () => {
    const { health } = indicator('prometheus', [cluster('a', 'up'), cluster('b', 'down', 'OPEN')], {
      started: false,
    });
    expect(health.isReady().metrics).toEqual({
      status: 'up',
      dataSource: 'prometheus',
      clustersUp: 1,
      clustersTotal: 2,
      circuitsOpen: 1,
      starting: true,
    });
    expect(health.isStarted().startup?.status).toBe('down');
  });

  it('is ready with the simulated source, which has no upstream, and started at once', () => {
    const { health } = indicator('simulated', []);
    expect(health.isReady().metrics?.status).toBe('up');
    expect(health.isStarted().startup?.status).toBe('up');
  });

  it('is not ready while the process drains, whatever the clusters say', () => {
    const { health } = indicator('prometheus', [cluster('a', 'up')], { draining: true });
    expect(health.isReady().metrics).toEqual({ status: 'down', draining: true });
  });

  it('starts the background prober for Prometheus only', () => {
    const prom = indicator('prometheus', []);
    prom.health.onApplicationBootstrap();
    expect(prom.probing()).toBe(true);
    const sim = indicator('simulated', []);
    sim.health.onApplicationBootstrap();
    expect(sim.probing()).toBe(false);
  });
});
