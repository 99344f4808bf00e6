import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { defaultScenario, FleetModel } from '@kcloud/fleet-model';
import { parse as parseYaml } from 'yaml';
import { scrapeJobsFor } from './harness/stack';
import { at, defined } from './harness/indexed';

/**
 * docker-compose.yml and the Dockerfile cannot run here (no Docker engine): their files are parsed and checked for what
 * the stack relies on, and the compose Prometheus config is checked by promtool with the same jobs the e2e suites use.
 */
const ROOT = join(__dirname, '..');
const run = promisify(execFile);

interface Service {
  readonly image?: string;
  readonly build?: unknown;
  readonly command?: readonly string[];
  readonly environment?: Record<string, string>;
  readonly volumes?: readonly string[];
  readonly read_only?: boolean;
}
interface ScrapeConfig {
  readonly job_name: string;
  readonly metrics_path: string;
  readonly honor_labels: boolean;
  readonly static_configs: readonly {
    readonly targets: readonly string[];
    readonly labels?: Record<string, string>;
  }[];
}

describe('docker-compose.yml', () => {
  const compose = parseYaml(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
    services: Record<string, Service>;
  };
  const prom = parseYaml(readFileSync(join(ROOT, 'deploy', 'compose', 'prometheus.yml'), 'utf8')) as {
    rule_files: string[];
    scrape_configs: ScrapeConfig[];
  };

  it('runs the API, fleet-sim, Prometheus, Redis and Grafana', () => {
    expect(Object.keys(compose.services).sort()).toEqual([
      'api',
      'fleet-sim',
      'grafana',
      'prometheus',
      'redis',
    ]);
    const api = defined(compose.services.api, 'compose service api').environment!;
    expect(api).toMatchObject({
      NODE_ENV: 'production',
      PROMETHEUS_URL: 'http://prometheus:9090',
      CLUSTER_LABEL: 'cluster',
      REDIS_URL: 'redis://redis:6379',
    });
    // The stack's Prometheus scrapes /metrics without credentials, which production allows only when chosen.
    expect(api.METRICS_PUBLIC).toBe('true');
    // No password in the file: compose refuses to start without KCLOUD_ADMIN_PASSWORD.
    expect(api.API_AUTH_PASSWORD).toMatch(/^\$\{KCLOUD_ADMIN_PASSWORD:\?/);
    expect(compose.services.api?.read_only).toBe(true);
    expect(compose.services['fleet-sim']?.command).toEqual(
      expect.arrayContaining(['dist/apps/fleet-sim/src/main.js', '--host', '0.0.0.0']),
    );
  });

  it('mounts only files that exist: Prometheus config and rules, Grafana provisioning and the dashboards', () => {
    const mounts = Object.values(compose.services).flatMap((s) => s.volumes ?? []);
    expect(mounts.length).toBeGreaterThanOrEqual(5);
    for (const m of mounts) {
      const source = m.split(':')[0]!; // split yields at least one part
      expect(source.startsWith('./') && existsSync(join(ROOT, source))).toBe(true);
    }
    expect(mounts).toContain('./deploy/grafana/dashboards:/var/lib/grafana/dashboards/kcloud-monitor:ro');
    expect(mounts).toContain(
      './deploy/prometheus/kcloud-monitor.rules.yaml:/etc/prometheus/rules/kcloud-monitor.rules.yaml:ro',
    );
    expect(prom.rule_files).toEqual(['/etc/prometheus/rules/kcloud-monitor.rules.yaml']);
  });

  it('scrapes the API as job kcloud-monitor and each cluster the way the e2e suites do', () => {
    const byJob = new Map(prom.scrape_configs.map((j) => [j.job_name, j]));
    expect(byJob.get('kcloud-monitor')).toMatchObject({
      metrics_path: '/metrics',
      honor_labels: true,
      static_configs: [{ targets: ['api:3000'] }],
    });
    const scenario = defaultScenario();
    const model = new FleetModel(scenario);
    const expected = scenario.clusters.flatMap((c) =>
      scrapeJobsFor({ name: c.name, shape: 'plain', power: { ipmi: false } }, 'fleet-sim:9400', model).map(
        (j) => ({
          job_name: j.jobName,
          metrics_path: j.metricsPath,
          honor_labels: j.honorLabels,
          static_configs: [{ targets: ['fleet-sim:9400'], labels: { cluster: c.name } }],
        }),
      ),
    );
    expect(prom.scrape_configs.filter((j) => j.job_name !== 'kcloud-monitor')).toEqual(expected);
  });

  it('has a Prometheus config promtool accepts, rules included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kcloud-compose-'));
    try {
      const text = readFileSync(join(ROOT, 'deploy', 'compose', 'prometheus.yml'), 'utf8').replace(
        '/etc/prometheus/rules/kcloud-monitor.rules.yaml',
        join(ROOT, 'deploy', 'prometheus', 'kcloud-monitor.rules.yaml'),
      );
      writeFileSync(join(dir, 'prometheus.yml'), text);
      const { stdout } = await run(process.env.PROMTOOL_BIN ?? 'promtool', [
        'check',
        'config',
        join(dir, 'prometheus.yml'),
      ]);
      expect(stdout).toMatch(/SUCCESS: 7 rules found/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('provisions Grafana with the Prometheus data source the dashboards ask for', () => {
    const ds = parseYaml(
      readFileSync(join(ROOT, 'deploy', 'grafana', 'provisioning', 'datasources', 'prometheus.yaml'), 'utf8'),
    ) as { datasources: { type: string; url: string; isDefault: boolean }[] };
    expect(ds.datasources).toEqual([
      expect.objectContaining({ type: 'prometheus', url: 'http://prometheus:9090', isDefault: true }),
    ]);
    const provider = parseYaml(
      readFileSync(
        join(ROOT, 'deploy', 'grafana', 'provisioning', 'dashboards', 'kcloud-monitor.yaml'),
        'utf8',
      ),
    ) as { providers: { options: { path: string } }[] };
    expect(provider.providers[0]?.options.path).toBe('/var/lib/grafana/dashboards/kcloud-monitor');
  });
});

describe('Dockerfile', () => {
  const text = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  // Instructions with their continuation lines joined, per stage.
  const instructions = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const stages: string[][] = [];
  for (const i of instructions) {
    if (/^FROM /i.test(i)) stages.push([]);
    stages[stages.length - 1]?.push(i);
  }
  const runtime = at(stages, -1, 'Dockerfile stage');

  it('builds on a maintained Node LTS (22 or 24, bookworm-slim)', () => {
    expect(text).toMatch(/^ARG NODE_IMAGE=node:(22|24)-bookworm-slim$/m);
    for (const s of stages) expect(s[0]).toMatch(/^FROM \$\{NODE_IMAGE\}/);
    expect(text).not.toMatch(/node:20/);
  });

  it('runs as a numeric non-root user', () => {
    const user = runtime.filter((i) => /^USER /.test(i)).pop();
    expect(user).toMatch(/^USER [1-9]\d*(:[1-9]\d*)?$/);
  });

  it('carries the OCI labels', () => {
    for (const label of ['title', 'description', 'licenses', 'source', 'version', 'revision', 'created'])
      expect(text).toContain(`org.opencontainers.image.${label}=`);
  });

  it('has no npm, npx or corepack in the runtime stage, and runs no npm there', () => {
    const removal = runtime.find((i) => /^RUN rm -rf/.test(i)) ?? '';
    for (const bin of [
      '/usr/local/bin/npm',
      '/usr/local/bin/npx',
      '/usr/local/bin/corepack',
      '/usr/local/lib/node_modules/npm',
    ])
      expect(removal).toContain(bin);
    expect(runtime.filter((i) => /^RUN .*\bnpm\b/.test(i) && !/^RUN rm -rf/.test(i))).toEqual([]);
    expect(runtime).toContainEqual(expect.stringMatching(/^COPY --from=deps .*node_modules/));
  });

  it('copies no fleet-sim scenarios (the simulated fleet is embedded)', () => {
    expect(instructions.filter((i) => /^COPY .*scenarios/.test(i))).toEqual([]);
  });
});
