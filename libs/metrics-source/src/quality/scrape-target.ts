import type { InstantSample } from '@kcloud/prometheus';
import type { ScrapeTarget } from './device-quality.port';

/**
 * The scrape target of a series: Prometheus attaches `instance` and `job` to every series of a target (an exporter's
 * own `instance` label is renamed `exported_instance` unless honor_labels is set, which dcgm-exporter never needs).
 */
export function scrapeTargetOf(labels: Readonly<Record<string, string>>): ScrapeTarget | undefined {
  const { instance, job } = labels;
  return instance && job ? { instance, job } : undefined;
}

/** The samples with the scrape target of the identity series each came from (matched by key). */
export function withTargets<S>(
  samples: readonly S[],
  identity: readonly InstantSample[],
  keyOfLabels: (l: Readonly<Record<string, string>>) => string,
  keyOfSample: (s: S) => string,
): S[] {
  const targets = new Map(identity.map((s) => [keyOfLabels(s.labels), scrapeTargetOf(s.labels)]));
  return samples.map((s) => ({ ...s, scrapeTarget: targets.get(keyOfSample(s)) }));
}
