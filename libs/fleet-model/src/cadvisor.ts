import { HOST_BOOT_MS } from './host';
import { hashMix, hashString, toUnit } from './hash';
import type { SimPod } from './types';

/**
 * What cAdvisor (in the kubelet) reads for a simulated pod's container: CPU time and memory working set. Pure
 * functions of (cluster, namespace, pod, container): each container keeps one CPU use, so its
 * `container_cpu_usage_seconds_total` grows linearly since the simulated boot and rate() gives back exactly that.
 */
export interface SimContainerUsage {
  readonly namespace: string;
  readonly pod: string;
  readonly container: string;
  /** CPU cores in use (two decimals). */
  readonly cpuCores: number;
  readonly cpuSecondsTotal: number;
  /** Whole MiB. */
  readonly memoryWorkingSetBytes: number;
}

/** Only running pods have containers cAdvisor reports. */
export function simContainerUsage(pod: SimPod, atMs: number): SimContainerUsage[] {
  if (pod.phase !== 'Running') return [];
  const key = hashString(`${pod.cluster}/${pod.namespace}/${pod.name}/${pod.container}/cadvisor`);
  const cpuCores = Math.round((0.1 + 7.9 * toUnit(hashMix(key, 1))) * 100) / 100;
  const memoryWorkingSetBytes = Math.round(256 + 65_280 * toUnit(hashMix(key, 2))) * 1024 ** 2;
  const uptimeSeconds = Math.max(0, (atMs - HOST_BOOT_MS) / 1000);
  return [
    {
      namespace: pod.namespace,
      pod: pod.name,
      container: pod.container,
      cpuCores,
      cpuSecondsTotal: uptimeSeconds * cpuCores,
      memoryWorkingSetBytes,
    },
  ];
}
