import { loadConfig } from './load-config';
import { isClusterLabelMap } from './cluster-config';

describe('PROMETHEUS_CLUSTERS labels', () => {
  it('keeps Prometheus-style label names with string values', () => {
    const config = loadConfig({
      PROMETHEUS_CLUSTERS: JSON.stringify([
        { name: 'a', url: 'http://a', labels: { platform: 'dgx', datacenter: 'dc-1' } },
        { name: 'b', url: 'http://b' },
      ]),
    });
    expect(config.prometheus.clusters.map((c) => c.labels)).toEqual([
      { platform: 'dgx', datacenter: 'dc-1' },
      undefined,
    ]);
  });

  it.each([
    [{ datacenter: 1 }],
    [{ 'data-center': 'dc1' }],
    [{ '1dc': 'dc1' }],
    [{ datacenter: { name: 'dc1' } }],
    [{ datacenter: 'x'.repeat(257) }],
    [Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`l${i}`, 'v']))],
  ])('refuses labels %o at boot, naming the variable', (labels) => {
    expect(isClusterLabelMap(labels)).toBe(false);
    expect(() =>
      loadConfig({ PROMETHEUS_CLUSTERS: JSON.stringify([{ name: 'a', url: 'http://a', labels }]) }),
    ).toThrow(/PROMETHEUS_CLUSTERS\[0\]\.labels: labels must map/);
  });
});
