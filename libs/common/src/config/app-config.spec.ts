import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('uses defaults and serves the simulated fleet when no Prometheus is configured', () => {
    const config = loadConfig({});
    expect(config.server.port).toBe(3000);
    expect(config.prometheus.clusters).toEqual([]);
    expect(config.cache.ttlSeconds).toEqual({ static: 3600, realtime: 30, timeseries: 300, summary: 60 });
  });

  it('maps PROMETHEUS_URL to the cluster named default', () => {
    const config = loadConfig({ PROMETHEUS_URL: 'http://prom:9090', PORT: '8080' });
    expect(config.server.port).toBe(8080);
    expect(config.prometheus.clusters.map((c) => [c.name, c.url])).toEqual([['default', 'http://prom:9090']]);
  });

  it('reads a cluster list and rejects duplicates and bad URLs, naming each', () => {
    const ok = loadConfig({
      PROMETHEUS_CLUSTERS: JSON.stringify([
        { name: 'a', url: 'http://a:9090', timeoutMs: 2000 },
        { name: 'b', url: 'https://b' },
      ]),
    });
    expect(ok.prometheus.clusters.map((c) => c.name)).toEqual(['a', 'b']);
    expect(() =>
      loadConfig({
        PROMETHEUS_CLUSTERS: JSON.stringify([
          { name: 'a', url: 'ftp://x' },
          { name: 'a', url: 'http://y' },
        ]),
      }),
    ).toThrow(
      /PROMETHEUS_CLUSTERS\[0\]\.url: url must be an http\(s\) URL.*PROMETHEUS_CLUSTERS\[1\]\.name 'a' is a duplicate/,
    );
    expect(() => loadConfig({ PROMETHEUS_CLUSTERS: '[{' })).toThrow(/PROMETHEUS_CLUSTERS is not valid JSON/);
  });

  it('reads compression per cluster over PROMETHEUS_COMPRESSION and the constants TTL, and refuses bad values', () => {
    const config = loadConfig({
      PROMETHEUS_COMPRESSION: 'true',
      ANALYZER_CONSTANTS_TTL_SECONDS: '0',
      PROMETHEUS_CLUSTERS: JSON.stringify([{ name: 'a', url: 'http://a', compression: false }, { name: 'b', url: 'http://b' }]),
    });
    expect([config.prometheus.compression, config.analyzer.constantsTtlSeconds]).toEqual([true, 0]);
    expect(config.prometheus.clusters.map((c) => c.compression)).toEqual([false, undefined]);
    expect(loadConfig({}).prometheus.compression).toBe(false);
    expect(loadConfig({}).analyzer.constantsTtlSeconds).toBe(300);
    const bad = () => loadConfig({ ANALYZER_CONSTANTS_TTL_SECONDS: '-1', PROMETHEUS_COMPRESSION: 'maybe' });
    expect(bad).toThrow(/ANALYZER_CONSTANTS_TTL_SECONDS/);
    expect(bad).toThrow(/PROMETHEUS_COMPRESSION/);
    expect(() =>
      loadConfig({ PROMETHEUS_CLUSTERS: JSON.stringify([{ name: 'a', url: 'http://a', compression: 'yes' }]) }),
    ).toThrow(/compression/);
  });

  it('lists every bad variable in one error, with the value it got', () => {
    try {
      loadConfig({ PORT: '99999', PROMETHEUS_URL: 'not a url' });
      fail('expected ConfigError');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const problems = (e as ConfigError).problems.join('\n');
      expect(problems).toMatch(/PORT: PORT must not be greater than 65535 \(got "99999"\)/);
      expect(problems).toMatch(/PROMETHEUS_URL must be an http\(s\) URL/);
    }
  });

  it('reads a YAML file and lets the environment win', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    const file = join(dir, 'c.yaml');
    writeFileSync(
      file,
      'PORT: 4000\nCACHE_TTL_REALTIME_SECONDS: 5\nPROMETHEUS_CLUSTERS:\n  - name: east\n    url: http://east:9090\n',
    );
    const config = loadConfig({ CONFIG_FILE: file, PORT: '4001' });
    expect(config.server.port).toBe(4001);
    expect(config.cache.ttlSeconds.realtime).toBe(5);
    expect(config.prometheus.clusters[0].name).toBe('east');
  });
});
