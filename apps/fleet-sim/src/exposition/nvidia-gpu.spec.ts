import { defaultScenario, FleetModel } from '@kcloud/fleet-model';
import { formatGoFloat } from './go-float';
import { renderNvidiaGpu } from './nvidia-gpu';

describe('renderNvidiaGpu', () => {
  it('prints the seed-004 families labelled {gpu, node} only, memory in bytes', () => {
    const model = new FleetModel(defaultScenario());
    const cluster = model.clusters()[0]!;
    const gpus = model.reportedGpus(cluster).slice(0, 2);
    const text = renderNvidiaGpu(gpus);
    for (const family of [
      'utilization_percent',
      'used_memory_bytes',
      'total_memory_bytes',
      'free_memory_bytes',
      'memory_utilization_percent',
      'temperature_celsius',
    ])
      expect(text).toContain(`# TYPE nvidia_gpu_${family} gauge`);
    const g = gpus[0]!;
    expect(text).toContain(
      `nvidia_gpu_used_memory_bytes{gpu="${g.index}",node="${g.node}"} ${formatGoFloat(g.memoryUsedMiB * 1024 * 1024)}`,
    );
    expect(text).not.toMatch(/uuid=|power/);
  });
});
