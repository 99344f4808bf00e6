import type { SimGpuExporter } from './gpu-exporters';
import { hashString, noise } from './hash';
import type { SimGpu, WorkloadPattern } from './types';

/**
 * Processes on GPUs, as all-smi (`--processes`) and nvidia_gpu_exporter (compute apps) report them. Every allocated
 * GPU or MIG instance runs its pod's process (a data-loader-bound job also a worker); the GPU memory of a row is split
 * between them. dcgm-exporter reports no processes.
 */
export interface SimGpuProcess {
  readonly cluster: string;
  readonly node: string;
  /** The physical GPU (MIG processes carry their parent's UUID, as NVML reports them). */
  readonly gpuUuid: string;
  readonly gpuIndex: number;
  readonly pid: number;
  readonly name: string;
  /** Absent where the exporter does not report it (all-smi ≤ v0.20, nvidia_gpu_exporter). */
  readonly user?: string;
  readonly command?: string;
  readonly gpuMemoryUsedMiB: number;
  /** all-smi ≥ v0.21 only, two decimals. */
  readonly cpuPercent?: number;
}

interface ProcessShape {
  readonly name: string;
  readonly user: string;
  readonly command: string;
  /** CPU % of one core-second per second while the GPU is busy; scaled down when it idles. */
  readonly cpu: readonly [lo: number, hi: number];
}

const SHAPES: Readonly<Record<Exclude<WorkloadPattern, 'unallocated'>, readonly ProcessShape[]>> = {
  training: [
    { name: 'python', user: 'root', command: 'python -m torch.distributed.run train.py', cpu: [90, 130] },
  ],
  inference: [
    {
      name: 'python3',
      user: 'root',
      command: 'python3 -m vllm.entrypoints.openai.api_server --port 8000',
      cpu: [30, 70],
    },
  ],
  notebook: [
    {
      name: 'python',
      user: 'jovyan',
      command: 'python -m ipykernel_launcher -f /home/jovyan/.local/share/jupyter/runtime/kernel.json',
      cpu: [0, 2],
    },
  ],
  'dataloader-stall': [
    { name: 'python', user: 'root', command: 'python finetune.py --num-workers 2', cpu: [80, 120] },
    { name: 'pt_data_worker', user: 'root', command: 'python finetune.py --num-workers 2', cpu: [150, 200] },
  ],
  // The pod holds the GPU but never opened a CUDA context: no process.
  'allocated-empty': [],
  'prof-zero': [
    { name: 'python', user: 'root', command: 'python -m torch.distributed.run train.py', cpu: [90, 130] },
  ],
};

/** A data-loader worker keeps only its CUDA context on the GPU. */
const WORKER_CONTEXT_MIB = 512;
const CH_CPU = 51;

/** The processes on `rows` (dcgm view, MIG instances included) at `bucket`, every field as the model knows it. */
export function gpuProcessesOf(seed: string, rows: readonly SimGpu[], bucket: number): SimGpuProcess[] {
  const out: SimGpuProcess[] = [];
  for (const row of rows) {
    if (row.pattern === 'unallocated' || !row.pod) continue;
    const shapes = SHAPES[row.pattern];
    const busy = (row.utilizationPercent ?? row.grEngineActiveRatio * 100) >= 20;
    const worker = shapes.length > 1 ? Math.min(WORKER_CONTEXT_MIB, Math.floor(row.memoryUsedMiB / 8)) : 0;
    shapes.forEach((shape, i) => {
      const key = hashString(`proc|${seed}|${row.uuid}|${row.migInstanceId ?? ''}|${i}`);
      const [lo, hi] = shape.cpu;
      const cpu = (lo + (hi - lo) * noise(key, bucket, CH_CPU)) * (busy ? 1 : 0.1);
      out.push({
        cluster: row.cluster,
        node: row.node,
        gpuUuid: row.uuid,
        gpuIndex: row.index,
        pid: 1000 + (key % 400_000),
        name: shape.name,
        user: shape.user,
        command: shape.command,
        gpuMemoryUsedMiB: i === 0 ? row.memoryUsedMiB - worker * (shapes.length - 1) : worker,
        cpuPercent: Math.round(cpu * 100) / 100,
      });
    });
  }
  return out;
}

/** What the cluster's exporter reports of those processes: nothing (dcgm), or the fields it knows. */
export function reportedProcesses(exporter: SimGpuExporter, all: readonly SimGpuProcess[]): SimGpuProcess[] {
  switch (exporter) {
    // The nvidia_gpu_process_* families (nvidia-gpu) are not simulated yet: the API does not read them.
    case 'dcgm':
    case 'nvidia-gpu':
      return [];
    case 'all-smi':
      return [...all];
    case 'all-smi-v0.20':
    case 'nvidia-smi':
      return all.map((p) => ({ ...p, user: undefined, command: undefined, cpuPercent: undefined }));
  }
}
