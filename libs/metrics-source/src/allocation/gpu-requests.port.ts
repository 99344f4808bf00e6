import type { PartialResult } from '@kcloud/common';

/**
 * What kube-state-metrics says pods asked for: GPU requests of running pods (`kube_pod_container_resource_requests`
 * with resource `nvidia_com_gpu` or a MIG slice `nvidia_com_mig_<profile>`). Joined with dcgm-exporter's pod labels
 * on each device, it shows pods holding GPUs no device names (an exporter without the kubelet pod-resources socket,
 * a device plugin that lost track). A port of its own: one request per cluster whatever the pod count.
 */
export const GPU_REQUEST_SOURCE = Symbol('GPU_REQUEST_SOURCE');

export interface PodGpuRequest {
  readonly cluster: string;
  readonly namespace: string;
  readonly pod: string;
  readonly node?: string;
  /** The resource as kube-state-metrics labels it: `nvidia_com_gpu`, `nvidia_com_mig_1g_10gb`, … */
  readonly resource: string;
  /** Units requested, summed over the pod's containers. */
  readonly count: number;
}

export interface GpuRequestSource {
  /**
   * Requests of running pods in `clusters` and `namespaces` (all when undefined). A namespace-scoped caller's
   * namespaces go to Prometheus as a matcher, so other tenants' pods never leave it.
   */
  podGpuRequests(
    clusters: readonly string[] | undefined,
    namespaces?: readonly string[],
  ): Promise<PartialResult<PodGpuRequest>>;
}

/** kube-state-metrics' sanitised names of the NVIDIA device plugin's resources. */
export const NVIDIA_GPU_RESOURCE_REGEX = 'nvidia_com_gpu|nvidia_com_mig_.+';
