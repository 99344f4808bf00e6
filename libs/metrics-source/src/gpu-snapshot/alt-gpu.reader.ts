import type { ClusterConfig } from '@kcloud/common';
import type { Matcher, PrometheusClient } from '@kcloud/prometheus';
import type { DeviceFilter } from '../shared/device-filter';
import type { GpuSample } from './gpu-sample';
import { allSmiIdentityQuery, allSmiValuesQuery, joinAllSmi } from './all-smi';
import { joinNvidiaSmi, nvidiaSmiIdentityQuery, nvidiaSmiValuesQuery } from './nvidia-smi';
import { joinNvidiaGpu, nvidiaGpuIdentityQuery, nvidiaGpuValuesQuery } from './nvidia-gpu';

/**
 * GPU samples of a cluster whose GPUs are exported by all-smi or nvidia_gpu_exporter (`gpuExporter` in its config):
 * two requests, identity and values, like the dcgm reader. Neither exporter attributes GPUs to pods, so a tenant
 * filter matches nothing and is answered without asking Prometheus. Node and uuid filters apply in memory after.
 */
export async function readAltGpuSamples(
  client: PrometheusClient,
  cluster: ClusterConfig,
  filter: DeviceFilter,
  scope: readonly Matcher[],
): Promise<GpuSample[]> {
  if (filter.namespaces || filter.pods) return [];
  if (cluster.gpuExporter === 'nvidia-gpu') {
    const [identity, values] = await Promise.all([
      client.instant(nvidiaGpuIdentityQuery(filter, scope)),
      client.instant(nvidiaGpuValuesQuery(scope)),
    ]);
    return joinNvidiaGpu(cluster.name, identity, values);
  }
  if (cluster.gpuExporter === 'nvidia-smi') {
    const [identity, values] = await Promise.all([
      client.instant(nvidiaSmiIdentityQuery(filter, scope)),
      client.instant(nvidiaSmiValuesQuery(filter, scope)),
    ]);
    return joinNvidiaSmi(cluster.name, identity, values);
  }
  const [identity, values] = await Promise.all([
    client.instant(allSmiIdentityQuery(filter, scope)),
    client.instant(allSmiValuesQuery(scope)),
  ]);
  return joinAllSmi(cluster.name, identity, values);
}
