import type { Scenario } from '@kcloud/fleet-model';
import type { StackCluster } from './stack';

/**
 * The scenario's first two clusters in the two dcgm-exporter scrape shapes a GPU read must handle: east scraped
 * plainly (`Hostname` label), west with clashing labels renamed `exported_*` (`hostname` label).
 */
export function bothScrapeShapes(scenario: Pick<Scenario, 'clusters'>): StackCluster[] {
  const [east, west] = scenario.clusters.map((c) => c.name);
  return [
    { name: east, shape: 'plain', hostnameLabel: 'Hostname' },
    { name: west, shape: 'exported', hostnameLabel: 'hostname' },
  ];
}
