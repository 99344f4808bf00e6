import { renderCadvisor } from './cadvisor';

describe('renderCadvisor', () => {
  it('renders cAdvisor’s families with the container, its pod-cgroup row and the pause row', () => {
    const text = renderCadvisor([
      {
        namespace: 'llm',
        pod: 'vllm-0',
        container: 'vllm',
        cpuCores: 2,
        cpuSecondsTotal: 100,
        memoryWorkingSetBytes: 1048576,
      },
    ]);
    expect(text).toContain(
      '# HELP container_cpu_usage_seconds_total Cumulative cpu time consumed in seconds.\n# TYPE container_cpu_usage_seconds_total counter\n',
    );
    expect(text).toContain(
      'container_cpu_usage_seconds_total{container="vllm",id="/kubepods/pod-vllm-0/vllm",namespace="llm",pod="vllm-0"} 100\n',
    );
    expect(text).toContain(
      'container_cpu_usage_seconds_total{container="",id="/kubepods/pod-vllm-0",namespace="llm",pod="vllm-0"} 100\n',
    );
    expect(text).toContain('container_memory_working_set_bytes{container="POD",');
    expect(text).toContain(
      '# HELP container_memory_working_set_bytes Current working set in bytes.\n# TYPE container_memory_working_set_bytes gauge\n',
    );
    expect(text).toContain(
      'container_memory_working_set_bytes{container="vllm",id="/kubepods/pod-vllm-0/vllm",namespace="llm",pod="vllm-0"} 1.048576e+06\n',
    );
  });
});
