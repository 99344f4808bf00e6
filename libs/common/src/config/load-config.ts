import { readFileSync } from 'node:fs';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { parse as parseYaml } from 'yaml';
import { AppConfig } from './app-config';
import type { ClusterConfig } from './cluster-config';
import { resolveClusters } from './cluster-list';
import { ConfigError } from './config-error';
import { EnvSchema } from './env.schema';
import { describeValidationError } from './validation-problems';

type RawEnv = Readonly<Record<string, string | undefined>>;

/** Reads `CONFIG_FILE` (YAML with env-form keys) if given; variables from the environment win over the file. */
export function loadConfig(env: RawEnv = process.env): AppConfig {
  const fromFile = env.CONFIG_FILE ? readYamlFile(env.CONFIG_FILE) : {};
  const merged: Record<string, unknown> = { ...fromFile };
  for (const [key, value] of Object.entries(env))
    if (value !== undefined && value !== '') merged[key] = value;

  const schema = plainToInstance(EnvSchema, merged, { exposeDefaultValues: true });
  const problems = validateSync(schema, { whitelist: false }).flatMap((e) =>
    describeValidationError(e, merged),
  );
  const clusters = problems.length ? [] : resolveClusters(schema, problems);
  if (!problems.length) checkDataSource(schema, clusters, problems);
  if (problems.length) throw new ConfigError(problems);
  return new AppConfig(schema, clusters);
}

function readYamlFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError([`CONFIG_FILE cannot be read (${(e as Error).message})`]);
  }
  const parsed: unknown = parseYaml(text);
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed))
    throw new ConfigError(['CONFIG_FILE must hold a YAML mapping of VARIABLE: value']);
  // YAML may hold the cluster list as a structure; the schema takes it as JSON text like the env variable.
  return Object.fromEntries(
    Object.entries(parsed as Record<string, unknown>).map(([k, v]) => [
      k,
      typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v),
    ]),
  );
}

/**
 * The simulated fleet is a demo: production serves it only when asked for by name, never because the Prometheus
 * variables were forgotten (its scores would reach /metrics and the webhooks as if they were real).
 */
function checkDataSource(env: EnvSchema, clusters: readonly ClusterConfig[], problems: string[]): void {
  const configured = clusters.length > 0;
  switch (env.DATA_SOURCE) {
    case 'prometheus':
      if (!configured) problems.push('DATA_SOURCE=prometheus needs PROMETHEUS_URL or PROMETHEUS_CLUSTERS');
      return;
    case 'simulated':
      if (configured)
        problems.push(
          'DATA_SOURCE=simulated cannot be combined with PROMETHEUS_URL or PROMETHEUS_CLUSTERS: unset one of them',
        );
      return;
    case undefined:
      if (!configured && env.NODE_ENV === 'production' && !env.SIM_SCENARIO)
        problems.push(
          'NODE_ENV=production needs a data source: set PROMETHEUS_URL or PROMETHEUS_CLUSTERS ' +
            '(or DATA_SOURCE=simulated, or SIM_SCENARIO, to serve the simulated demo fleet on purpose)',
        );
      return;
  }
}
