import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FleetModel, parseScenario } from '@kcloud/fleet-model';

export const SCENARIO_10K = join(__dirname, '..', 'libs/fleet-model/scenarios/bench-10k.yaml');

/** The generator accepts a scenario when it builds a non-empty fleet (its random pod names can collide). */
function accepted(yaml: string): boolean {
  try {
    return new FleetModel(parseScenario(yaml)).gpus().length > 0;
  } catch {
    return false;
  }
}

/**
 * A scenario file of `gpus` GPUs (a multiple of 1,000) made from bench-10k.yaml's clusters (same seed, mixes and
 * models): up to 5,000 GPUs one cluster of gpus/8 nodes, above that clusters of 625 nodes (in one cluster of thousands
 * of nodes the generator's pod names collide). A cluster whose name gives a rejected fleet is renamed until accepted.
 */
export function scenarioOfSize(gpus: number): string {
  if (gpus === 10_000) return SCENARIO_10K;
  const text = readFileSync(SCENARIO_10K, 'utf8');
  const start = text.indexOf('clusters:\n') + 'clusters:\n'.length;
  const head = text.slice(0, start);
  const templates = text.slice(start).split(/(?= {2}- name: )/);
  const clusters = Math.max(1, Math.ceil(gpus / 5_000));
  const nodes = gpus / 8 / clusters;
  let yaml = head;
  for (let c = 0; c < clusters; c++) {
    const template = templates[c % templates.length]!.replace('nodes: 625', `nodes: ${nodes}`);
    const named = (attempt: number) =>
      template.replace(/name: bench-[ab]/, `name: bench-${String.fromCharCode(97 + c)}${attempt || ''}`);
    let attempt = 0;
    while (!accepted(head + named(attempt)) && attempt < 50) attempt++;
    yaml += named(attempt);
  }
  const file = join(mkdtempSync(join(tmpdir(), 'fleet-sizes-')), `bench-${gpus / 1000}k.yaml`);
  writeFileSync(file, yaml);
  return file;
}
