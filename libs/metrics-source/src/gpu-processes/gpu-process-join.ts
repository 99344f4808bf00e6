import { type InstantSample, type Matcher, type PromQL, selectorByNames } from '@kcloud/prometheus';
import type { GpuProcessSample } from './gpu-process.port';
import { BYTES_PER_MIB } from '../shared/family-values';
import { normalizeNvidiaUuid } from '../gpu-snapshot/nvidia-smi';

/**
 * Per-process families: all-smi's (`--processes`; labels pid, name, device_uuid, and from v0.21 user, command) and
 * nvidia_gpu_exporter's compute apps (pid, process_name, uuid without `GPU-`). Whichever a cluster runs, one request
 * reads them; no exporter reports a process's memory share of the host, so memoryPercent stays unknown.
 */
const ALL_SMI_MEMORY = 'all_smi_process_memory_used_bytes';
const ALL_SMI_CPU = 'all_smi_process_cpu_percent';
const NVIDIA_SMI_MEMORY = 'nvidia_smi_compute_app_used_memory_bytes';

export function gpuProcessesQuery(scope: readonly Matcher[]): PromQL {
  return selectorByNames([ALL_SMI_MEMORY, ALL_SMI_CPU, NVIDIA_SMI_MEMORY], [...scope]);
}

/** One sample per (GPU, pid); the exporters' series of one process are merged. observedAt = evaluation time. */
export function joinGpuProcesses(cluster: string, rows: readonly InstantSample[]): GpuProcessSample[] {
  const out = new Map<string, GpuProcessSample>();
  for (const { labels, value, timestampMs } of rows) {
    const nvidia = labels.__name__ === NVIDIA_SMI_MEMORY;
    const rawUuid = nvidia ? labels.uuid : labels.device_uuid;
    const pid = Number(labels.pid);
    if (!rawUuid || !Number.isInteger(pid)) continue;
    const gpuUuid = nvidia ? normalizeNvidiaUuid(rawUuid) : rawUuid;
    const key = `${gpuUuid}|${pid}`;
    const known: GpuProcessSample = out.get(key) ?? {
      cluster,
      gpuUuid,
      pid,
      name: (nvidia ? labels.process_name : labels.name) ?? '',
      user: labels.user || undefined,
      command: labels.command || undefined,
      observedAt: new Date(timestampMs),
    };
    const finite = Number.isFinite(value) ? value : undefined;
    out.set(
      key,
      labels.__name__ === ALL_SMI_CPU
        ? { ...known, cpuPercent: finite }
        : { ...known, gpuMemoryUsedMiB: finite === undefined ? undefined : finite / BYTES_PER_MIB },
    );
  }
  return [...out.values()];
}
