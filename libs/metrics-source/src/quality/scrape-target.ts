import type { ScrapeTarget } from './device-quality.port';

/**
 * The scrape target of a series: Prometheus attaches `instance` and `job` to every series of a target (an exporter's
 * own `instance` label is renamed `exported_instance` unless honor_labels is set, which dcgm-exporter never needs).
 */
export function scrapeTargetOf(labels: Readonly<Record<string, string>>): ScrapeTarget | undefined {
  const { instance, job } = labels;
  return instance && job ? { instance, job } : undefined;
}
