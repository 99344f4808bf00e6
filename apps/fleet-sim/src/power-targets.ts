import { fleetPower } from '@kcloud/fleet-model';
import type { FleetModel } from '@kcloud/fleet-model';

import { renderFacilityMeter, renderIpmi, renderKepler } from './exposition';
import type { KeplerNodeView, KeplerVersion } from './exposition';

/** The power-side exporters the simulator serves, by the path segment after the cluster. */
export const POWER_EXPORTERS = ['kepler', 'kepler-v0.7', 'ipmi', 'facility'] as const;
export type PowerExporter = (typeof POWER_EXPORTERS)[number];

export type PowerRender = { readonly body: string } | { readonly notFound: string };

export function isPowerExporter(exporter: string | undefined): exporter is PowerExporter {
  return (POWER_EXPORTERS as readonly string[]).includes(exporter ?? '');
}

/**
 * Routes: `kepler[/<node>]` (Kepler ≥ 0.10; every series carries node_name, so a whole cluster can be one body),
 * `kepler-v0.7/<node>` (old names; per node only, since its container series carry no node label),
 * `ipmi/<node>` (one BMC per target), `facility` (the cluster's facility meter).
 */
export function renderPowerTarget(
  model: FleetModel,
  cluster: string,
  exporter: PowerExporter,
  node: string | undefined,
  atMs: number,
): PowerRender {
  const power = fleetPower(model);
  if (exporter === 'facility')
    return node === undefined
      ? { body: renderFacilityMeter(cluster, power.facilityPowerWattsAt(cluster, atMs)) }
      : { notFound: `route facility/${node}` };
  if (node !== undefined && !model.hasNode(cluster, node))
    return { notFound: `node ${node} in cluster ${cluster}` };
  if (exporter === 'kepler') return { body: renderKepler(keplerViews(model, cluster, node, atMs), 'v0.10') };
  if (node === undefined) return { notFound: `route ${exporter} without a node` };
  if (exporter === 'kepler-v0.7')
    return { body: renderKepler(keplerViews(model, cluster, node, atMs), 'v0.7' satisfies KeplerVersion) };
  const dcmi = power.nodePowerAt(cluster, node, atMs)?.serverInputWatts ?? 0;
  return { body: renderIpmi(power.ipmiSensorsAt(cluster, node, atMs), dcmi) };
}

function keplerViews(
  model: FleetModel,
  cluster: string,
  node: string | undefined,
  atMs: number,
): KeplerNodeView[] {
  const power = fleetPower(model);
  const energies = new Map(power.nodeEnergiesAt(cluster, atMs).map((e) => [e.node, e]));
  return power
    .nodePowersAt(cluster, atMs)
    .filter((p) => node === undefined || p.node === node)
    .flatMap((p) => {
      const energy = energies.get(p.node);
      if (!energy) return [];
      const gpus = new Map(
        model
          .nodeGpus(cluster, p.node, atMs)
          .map((g) => [g.uuid, { uuid: g.uuid, index: g.index, model: g.model }]),
      );
      return [{ power: p, energy, gpus: [...gpus.values()] }];
    });
}
