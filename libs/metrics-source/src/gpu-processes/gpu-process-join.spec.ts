import type { InstantSample } from '@kcloud/prometheus';
import { parsePromQL } from '@kcloud/prometheus/testing';
import { gpuProcessesQuery, joinGpuProcesses } from './gpu-process-join';

const MIB = 1024 * 1024;
const at = 1700000000000;

describe('joinGpuProcesses', () => {
  it('merges all-smi memory and CPU series of one process and normalises nvidia_gpu_exporter UUIDs', () => {
    const allSmi = {
      pid: '4242',
      name: 'python',
      user: 'alice',
      device_id: '0',
      gpu_index: '0',
      device_uuid: 'GPU-aa',
      command: 'python train.py',
      instance: '10.0.0.1:9090',
    };
    const rows: InstantSample[] = [
      {
        labels: { __name__: 'all_smi_process_memory_used_bytes', ...allSmi },
        value: 2048 * MIB,
        timestampMs: at,
      },
      { labels: { __name__: 'all_smi_process_cpu_percent', ...allSmi }, value: 112.5, timestampMs: at },
      {
        labels: {
          __name__: 'nvidia_smi_compute_app_used_memory_bytes',
          pid: '7',
          process_name: './burn',
          uuid: 'BB',
        },
        value: 512 * MIB,
        timestampMs: at,
      },
      // Legacy all-smi: no user, command or CPU.
      {
        labels: { __name__: 'all_smi_process_memory_used_bytes', pid: '9', name: 'x', device_uuid: 'GPU-cc' },
        value: NaN,
        timestampMs: at,
      },
    ];
    expect(joinGpuProcesses('c1', rows)).toEqual([
      {
        cluster: 'c1',
        gpuUuid: 'GPU-aa',
        pid: 4242,
        name: 'python',
        user: 'alice',
        command: 'python train.py',
        gpuMemoryUsedMiB: 2048,
        cpuPercent: 112.5,
        observedAt: new Date(at),
      },
      {
        cluster: 'c1',
        gpuUuid: 'GPU-bb',
        pid: 7,
        name: './burn',
        user: undefined,
        command: undefined,
        gpuMemoryUsedMiB: 512,
        observedAt: new Date(at),
      },
      {
        cluster: 'c1',
        gpuUuid: 'GPU-cc',
        pid: 9,
        name: 'x',
        user: undefined,
        command: undefined,
        gpuMemoryUsedMiB: undefined,
        observedAt: new Date(at),
      },
    ]);
  });

  it('reads every exporter’s process families in one query that parses', () => {
    expect(parsePromQL(gpuProcessesQuery([])).errors).toEqual([]);
  });
});
