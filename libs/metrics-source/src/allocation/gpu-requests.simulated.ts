import type { PartialResult } from '@kcloud/common';
import type { FleetModel } from '@kcloud/fleet-model';
import type { GpuRequestSource, PodGpuRequest } from './gpu-requests.port';

/** The simulated fleet's running pods and their NVIDIA requests, named as kube-state-metrics labels them. */
export class SimulatedGpuRequests implements GpuRequestSource {
  constructor(private readonly model: FleetModel) {}

  podGpuRequests(
    clusters: readonly string[] | undefined,
    namespaces?: readonly string[],
  ): Promise<PartialResult<PodGpuRequest>> {
    const items: PodGpuRequest[] = [];
    for (const p of this.model.pods()) {
      if ((clusters && !clusters.includes(p.cluster)) || p.phase !== 'Running') continue;
      if (namespaces && !namespaces.includes(p.namespace)) continue;
      const byResource = new Map<string, number>();
      for (const r of p.requests)
        if (r.resource.startsWith('nvidia.com/')) {
          const resource = r.resource.replace(/[^a-zA-Z0-9_]/g, '_');
          byResource.set(resource, (byResource.get(resource) ?? 0) + r.count);
        }
      for (const [resource, count] of byResource)
        items.push({
          cluster: p.cluster,
          namespace: p.namespace,
          pod: p.name,
          node: p.node,
          resource,
          count,
        });
    }
    return Promise.resolve({ items, failures: [] });
  }
}
