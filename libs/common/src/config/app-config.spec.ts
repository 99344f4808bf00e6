import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateClusterList } from './cluster-list';
import { ConfigError } from './config-error';
import { loadConfig } from './load-config';

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
      PROMETHEUS_CLUSTERS: JSON.stringify([
        { name: 'a', url: 'http://a', compression: false },
        { name: 'b', url: 'http://b' },
      ]),
    });
    expect([config.prometheus.compression, config.analyzer.constantsTtlSeconds]).toEqual([true, 0]);
    expect(config.prometheus.clusters.map((c) => c.compression)).toEqual([false, undefined]);
    expect(loadConfig({}).prometheus.compression).toBe(false);
    expect(loadConfig({}).analyzer.constantsTtlSeconds).toBe(300);
    const bad = () => loadConfig({ ANALYZER_CONSTANTS_TTL_SECONDS: '-1', PROMETHEUS_COMPRESSION: 'maybe' });
    expect(bad).toThrow(/ANALYZER_CONSTANTS_TTL_SECONDS/);
    expect(bad).toThrow(/PROMETHEUS_COMPRESSION/);
    expect(() =>
      loadConfig({
        PROMETHEUS_CLUSTERS: JSON.stringify([{ name: 'a', url: 'http://a', compression: 'yes' }]),
      }),
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

  describe('data source', () => {
    const PROM = { PROMETHEUS_URL: 'http://prom:9090' };
    it.each([
      ['development without Prometheus', 'simulated', {}],
      ['development with Prometheus', 'prometheus', PROM],
      ['production with Prometheus', 'prometheus', { NODE_ENV: 'production', ...PROM }],
      [
        'production asking for the simulator',
        'simulated',
        { NODE_ENV: 'production', DATA_SOURCE: 'simulated' },
      ],
      ['production with a scenario file', 'simulated', { NODE_ENV: 'production', SIM_SCENARIO: 'demo.yaml' }],
      ['an explicit prometheus', 'prometheus', { DATA_SOURCE: 'prometheus', ...PROM }],
    ] as [string, string, Record<string, string>][])('%s serves the %s source', (_name, source, env) => {
      expect(loadConfig(env).dataSource).toBe(source);
    });

    it('refuses production without a data source, in one line naming the variables to set', () => {
      const attempt = () => loadConfig({ NODE_ENV: 'production' });
      expect(attempt).toThrow(ConfigError);
      expect(attempt).toThrow(
        /^Invalid configuration: NODE_ENV=production needs a data source: set PROMETHEUS_URL or PROMETHEUS_CLUSTERS \(or DATA_SOURCE=simulated, or SIM_SCENARIO, .*\)$/,
      );
      expect(() => loadConfig({ NODE_ENV: 'production', PROMETHEUS_CLUSTERS: '[]' })).toThrow(
        /needs a data source/,
      );
    });

    it.each([
      [{ DATA_SOURCE: 'prometheus' }, /DATA_SOURCE=prometheus needs PROMETHEUS_URL or PROMETHEUS_CLUSTERS/],
      [{ DATA_SOURCE: 'simulated', ...PROM }, /DATA_SOURCE=simulated cannot be combined with PROMETHEUS_URL/],
      [
        { DATA_SOURCE: 'fake' },
        /DATA_SOURCE: DATA_SOURCE must be one of the following values: prometheus, simulated/,
      ],
    ] as [Record<string, string>, RegExp][])('refuses %j', (env, message) => {
      expect(() => loadConfig(env)).toThrow(message);
    });
  });

  describe('secrets in config errors', () => {
    const messageOf = (env: Record<string, string>): string => {
      try {
        loadConfig(env);
      } catch (e) {
        return (e as ConfigError).message;
      }
      throw new Error('expected ConfigError');
    };

    it('never echoes URL credentials of PROMETHEUS_URL', () => {
      const message = messageOf({ PROMETHEUS_URL: 'ftp://scraper:hunter2@prom.internal:9090' });
      expect(message).toContain('(got "ftp://***@prom.internal:9090")');
      expect(message).not.toContain('hunter2');
    });

    it('never echoes credentials of a PROMETHEUS_CLUSTERS entry (userinfo, bearer token, basic password)', () => {
      const message = messageOf({
        PROMETHEUS_CLUSTERS: JSON.stringify([
          { name: 'a', url: 'ftp://u:hunter2@prom-a?token=t0ken-a' },
          { name: 'b', url: 'https://prom-b', auth: { type: 'oauth', token: 'bearer-s3cret' } },
          { name: 'c', url: 'https://prom-c', auth: { type: 'basic', username: 'u', password: 7 } },
        ]),
      });
      expect(message).toMatch(
        /PROMETHEUS_CLUSTERS\[0\]\.url: url must be an http\(s\) URL \(got "ftp:\/\/\*\*\*@prom-a\?token=\*\*\*"\)/,
      );
      expect(message).toMatch(/PROMETHEUS_CLUSTERS\[1\]\.auth\.type/);
      expect(message).not.toMatch(/hunter2|t0ken-a|bearer-s3cret/);
    });

    it('never echoes credentials in the problems of a registerCluster input (no ConfigError on that path)', () => {
      const problems: string[] = [];
      validateClusterList(
        [{ name: 'x', url: 'gopher://ops:hunter2@prom.internal/?access_token=t0k' }],
        problems,
        'cluster',
      );
      expect(problems).toEqual([
        'cluster[0].url: url must be an http(s) URL (got "gopher://***@prom.internal/?access_token=***")',
      ]);
    });

    it('redacts any problem it is given, whoever wrote it', () => {
      const error = new ConfigError([
        'cluster at https://u:p4ss@h failed with Authorization: Bearer kc_abcdef123',
      ]);
      expect(error.problems).toEqual(['cluster at https://***@h failed with Authorization: Bearer ***']);
      expect(error.message).not.toMatch(/p4ss|kc_abcdef123/);
    });
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
    expect(config.prometheus.clusters[0]?.name).toBe('east');
  });
});
