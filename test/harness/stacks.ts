import type { Scenario } from '@kcloud/fleet-model';
import type { StackCluster } from './stack';

/** The scenario's first two cluster names, the pair every two-cluster suite compares. */
export function eastWest(scenario: Pick<Scenario, 'clusters'>): readonly [east: string, west: string] {
  const [east, west] = scenario.clusters.map((c) => c.name);
  if (east === undefined || west === undefined)
    throw new Error(`a two-cluster suite needs two clusters, the scenario has ${scenario.clusters.length}`);
  return [east, west];
}

/**
 * The scenario's first two clusters in the two dcgm-exporter scrape shapes a GPU read must handle: east scraped
 * plainly (`Hostname` label), west with clashing labels renamed `exported_*` (`hostname` label).
 */
export function bothScrapeShapes(scenario: Pick<Scenario, 'clusters'>): StackCluster[] {
  const [east, west] = eastWest(scenario);
  return [
    { name: east, shape: 'plain', hostnameLabel: 'Hostname' },
    { name: west, shape: 'exported', hostnameLabel: 'hostname' },
  ];
}

/**
 * The first two clusters with the power side scraped unevenly: east's BMCs by a local ipmi_exporter per node, west
 * with no ipmi_exporter at all (its server input stays empty; its IT power is Kepler's platform reading).
 */
export function ipmiOnEastOnly(scenario: Pick<Scenario, 'clusters'>): StackCluster[] {
  const [east, west] = eastWest(scenario);
  return [
    { name: east, shape: 'plain', power: { ipmi: 'local' } },
    { name: west, shape: 'exported', power: { ipmi: false } },
  ];
}
