import {
  aggregate,
  fn,
  labelReplace,
  type Matcher,
  oneOf,
  type PromQL,
  selector,
  selectorByNames,
} from '@kcloud/prometheus';
import type { DeviceFilter } from '../shared/device-filter';
import { DCGM_IDENTITY_METRIC, DCGM_VALUE_FAMILIES, METRIC_LABEL } from './dcgm-families';
import type { TenantLabelNames } from './tenant-labels';

/**
 * Label matchers for a device filter on one cluster. Every user value goes through the builder, which escapes it.
 * Nodes are matched in memory: dcgm-exporter spells the host label two ways, and one selector cannot say "either".
 */
export function deviceMatchers(
  filter: DeviceFilter,
  names: TenantLabelNames,
  scope: readonly Matcher[],
): Matcher[] {
  const m: Matcher[] = [...scope];
  if (filter.namespaces) m.push(oneOf(names.namespace, filter.namespaces));
  if (filter.pods) m.push(oneOf(names.pod, filter.pods));
  if (filter.models) m.push(oneOf('modelName', filter.models));
  if (filter.uuids) m.push(oneOf('UUID', filter.uuids));
  return m;
}

/** Identity and tenant labels of every GPU/MIG instance, with the sample time as value: `timestamp(FB_USED{…})`. */
export function gpuIdentityQuery(matchers: readonly Matcher[]): PromQL {
  return fn('timestamp', selector(DCGM_IDENTITY_METRIC, [...matchers]));
}

/**
 * All value families in one request, reduced to (metric, UUID, GPU_I_ID): the full label sets would multiply the
 * payload by ~12 for nothing, since identity comes from the other query.
 */
export function gpuValuesQuery(
  matchers: readonly Matcher[],
  families: readonly { readonly metric: string }[] = DCGM_VALUE_FAMILIES,
): PromQL {
  const all = selectorByNames(
    families.map((f) => f.metric),
    [...matchers],
  );
  const named = labelReplace(all, METRIC_LABEL, '$1', '__name__', '(.+)');
  return aggregate('max', [METRIC_LABEL, 'UUID', 'GPU_I_ID'], named);
}

/** Whether the cluster's dcgm series carry exported_* tenant labels (a Kubernetes scrape with honor_labels: false). */
export function exportedShapeProbe(scope: readonly Matcher[]): PromQL {
  return fn(
    'count',
    selector(DCGM_IDENTITY_METRIC, [...scope, { label: 'exported_namespace', op: '!=', value: '' }]),
  );
}
