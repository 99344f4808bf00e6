import { defaultScenario, FleetModel, loadScenarioFile } from '@kcloud/fleet-model';

import { parseCliArgs, USAGE } from './cli-args';
import type { CliOptions } from './cli-args';
import { startFleetSim } from './server';
import { listTargets } from './targets';

/**
 * CLI: `npm run sim -- --scenario libs/fleet-model/scenarios/demo.yaml --port 9400`. Plain stdout lines (no logger
 * dependency) so scripts can read the URL.
 */
function parseOrExit(): CliOptions {
  try {
    return parseCliArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}`);
    process.exit(2);
  }
}

async function main(): Promise<void> {
  const cli = parseOrExit();
  const scenario = cli.scenario ? loadScenarioFile(cli.scenario) : defaultScenario();
  const model = new FleetModel(cli.seed === undefined ? scenario : { ...scenario, seed: cli.seed });
  const sim = await startFleetSim({
    model,
    port: cli.port,
    host: cli.host,
    hostnameLabel: cli.hostnameLabel,
    powerLimit: cli.powerLimit,
  });
  const gpus = model.gpus().length;
  process.stdout.write(
    `fleet-sim listening on ${sim.url} (scenario ${cli.scenario ?? 'demo (embedded)'}, seed ${model.seed}, ` +
      `${model.clusters().length} clusters, ${model.nodes().length} nodes, ${gpus} GPU rows)\n`,
  );
  const targets = listTargets(model);
  const shown = targets.length > 40 ? targets.filter((t) => t.scope === 'cluster') : targets;
  for (const t of shown) process.stdout.write(`  ${t.exporter.padEnd(18)} ${sim.url}${t.path}\n`);
  if (shown.length < targets.length)
    process.stdout.write(`  (${targets.length - shown.length} per-node dcgm targets: ${sim.url}/targets)\n`);

  const stop = (signal: string): void => {
    process.stdout.write(`fleet-sim: ${signal}, shutting down\n`);
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`fleet-sim: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
