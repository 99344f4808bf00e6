import {
  aggregate,
  fn,
  labelReplace,
  type Matcher,
  or,
  type PromQL,
  selector,
  selectorByNames,
} from '@kcloud/prometheus';
import { METRIC_LABEL } from '../gpu-snapshot/dcgm-families';
import { familyValuesQuery } from '../shared/family-values';

/**
 * The NPU exporters' families (METRICS.md §4). Rebellions' names contain a colon: legal in a metric name, and matched
 * here through `__name__` (`{__name__=~"…|RBLN_DEVICE_STATUS:CARD_POWER"}`), which Prometheus 2.x accepts — the quoted
 * `{"RBLN…"}` form needs 3.0.
 */
export const NPU = {
  furiosaPower: 'furiosa_npu_hw_power',
  furiosaTemperature: 'furiosa_npu_hw_temperature',
  furiosaAlive: 'furiosa_npu_alive',
  furiosaCoreUtilization: 'furiosa_npu_core_utilization',
  // In furiosa-metrics-exporter's source after 2025.2.0 (memory.go); read when present.
  furiosaDramUsed: 'furiosa_npu_dram_usage',
  furiosaDramTotal: 'furiosa_npu_dram_total',
  rblnPower: 'RBLN_DEVICE_STATUS:CARD_POWER',
  rblnTemperature: 'RBLN_DEVICE_STATUS:TEMPERATURE',
  rblnDramUsed: 'RBLN_DEVICE_STATUS:DRAM_USED',
  rblnDramTotal: 'RBLN_DEVICE_STATUS:DRAM_TOTAL',
  rblnUtilization: 'RBLN_DEVICE_STATUS:UTILIZATION',
  rblnHealth: 'RBLN_DEVICE_STATUS:HEALTH',
} as const;

/** One device-wise series per card of either vendor, full labels (identity, tenant), value = sample time. */
export function npuIdentityQuery(scope: readonly Matcher[]): PromQL {
  return fn('timestamp', selectorByNames([NPU.furiosaPower, NPU.rblnPower], [...scope]));
}

/**
 * Every value per card in one request: device-wise families by (family, uuid, sensor `label`), and Furiosa's per-core
 * utilisation averaged per card (as its dashboard does), named like its family so the join reads it the same way.
 */
export function npuValuesQuery(scope: readonly Matcher[]): PromQL {
  const deviceWise = familyValuesQuery(
    [
      NPU.furiosaPower,
      NPU.furiosaTemperature,
      NPU.furiosaAlive,
      NPU.furiosaDramUsed,
      NPU.furiosaDramTotal,
      NPU.rblnPower,
      NPU.rblnTemperature,
      NPU.rblnDramUsed,
      NPU.rblnDramTotal,
      NPU.rblnUtilization,
      NPU.rblnHealth,
    ],
    ['uuid', 'label'],
    scope,
  );
  const perCore = aggregate('avg', ['uuid'], selector(NPU.furiosaCoreUtilization, [...scope]));
  return or(deviceWise, labelReplace(perCore, METRIC_LABEL, NPU.furiosaCoreUtilization, 'uuid', '.*'));
}
