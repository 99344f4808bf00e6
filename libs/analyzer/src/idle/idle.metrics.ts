import { makeCounterProvider } from '@willsoto/nestjs-prometheus';

export const IDLE_SECONDS = 'gpu_idle_seconds_total';
export const IDLE_ENERGY = 'gpu_idle_energy_joules_total';

/**
 * Idle GPU-seconds and idle energy per (cluster, namespace): bounded by the namespaces, never per GPU or pod (those
 * groupings are answered by idleUsage). Incremented by the replica that extended the ledger, so
 * `sum by (cluster, namespace) (increase(gpu_idle_seconds_total[1d]))` over all replicas is the fleet's idle time.
 */
export const idleMetricProviders = [
  makeCounterProvider({
    name: IDLE_SECONDS,
    help: 'GPU-seconds spent IDLE_HELD or IDLE_ALLOCATED (a MIG instance counts its share of the GPU)',
    labelNames: ['cluster', 'namespace'],
  }),
  makeCounterProvider({
    name: IDLE_ENERGY,
    help: 'Energy drawn while IDLE_HELD or IDLE_ALLOCATED, J (DCGM energy counter increase, MIG boards split)',
    labelNames: ['cluster', 'namespace'],
  }),
];
