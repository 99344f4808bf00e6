import type { TenantLabelMode } from '@kcloud/common';

/** The label names that hold a GPU's tenant in one cluster's series, after Prometheus renamed collisions. */
export interface TenantLabelNames {
  readonly namespace: string;
  readonly pod: string;
  readonly container: string;
}

export const PLAIN: TenantLabelNames = { namespace: 'namespace', pod: 'pod', container: 'container' };
export const EXPORTED: TenantLabelNames = {
  namespace: 'exported_namespace',
  pod: 'exported_pod',
  container: 'exported_container',
};

export function labelNamesFor(mode: Exclude<TenantLabelMode, 'auto'>): TenantLabelNames {
  return mode === 'exported' ? EXPORTED : PLAIN;
}

/** A series scraped with honor_labels: false carries exported_* as soon as one GPU is allocated. */
export function detectFromLabels(
  series: readonly Readonly<Record<string, string>>[],
): 'exported' | undefined {
  return series.some((l) => l.exported_pod || l.exported_namespace) ? 'exported' : undefined;
}

export interface Tenant {
  readonly namespace?: string;
  readonly pod?: string;
  readonly container?: string;
}

/**
 * Reads the tenant of one series. In the plain shape a `pod` that matches the exporter pattern is dcgm-exporter's
 * own pod (a Kubernetes scrape of a cluster where no GPU is allocated yet): never reported as a tenant.
 */
export function tenantOf(
  labels: Readonly<Record<string, string>>,
  names: TenantLabelNames,
  exporterPod: RegExp,
): Tenant {
  const pod = labels[names.pod] || undefined;
  if (names === PLAIN && pod && exporterPod.test(pod)) return {};
  return {
    namespace: labels[names.namespace] || undefined,
    pod,
    container: labels[names.container] || undefined,
  };
}

/** dcgm-exporter's host label: `Hostname` in every release, `hostname` on main since 2026-05. */
export function nodeOf(labels: Readonly<Record<string, string>>): string {
  return labels.Hostname || labels.hostname || (labels.instance ?? '').replace(/:\d+$/, '');
}
