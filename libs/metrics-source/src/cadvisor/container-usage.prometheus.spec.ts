import { joinContainerUsage } from './container-usage.prometheus';
import { containerUsageQuery } from './container-usage.queries';

const row = (usage: string, namespace: string, pod: string, container: string, value: number) => ({
  labels: { namespace, pod, container, usage },
  value,
  timestampMs: 0,
});

describe('cAdvisor container usage reads', () => {
  it('reads the CPU rate or the working set per container in one request, without pod-cgroup and pause rows', () => {
    const scope = '{container!="", container!="POD", namespace=~"team\\\\.a|b"}';
    expect(containerUsageQuery([], ['team.a', 'b'], 10)).toBe(
      `(label_replace(sum by (namespace, pod, container) (rate(container_cpu_usage_seconds_total${scope}[10s])), "usage", "cpu", "namespace", ".*")) or ` +
        `(label_replace(sum by (namespace, pod, container) (container_memory_working_set_bytes${scope}), "usage", "memory", "namespace", ".*"))`,
    );
    expect(containerUsageQuery([], undefined, 10)).not.toContain('namespace=~');
  });

  it('joins the two readings per container; incomplete labels and negative or non-finite values are no reading', () => {
    expect(
      joinContainerUsage('east', [
        row('memory', 'b', 'p1', 'main', 2048),
        row('cpu', 'b', 'p1', 'main', 1.5),
        row('cpu', 'a', 'p2', 'side', Number.NaN),
        row('memory', 'a', 'p2', 'side', 10),
        row('cpu', 'a', 'p2', 'main', -0.1),
        row('cpu', 'a', 'p3', '', 4),
      ]),
    ).toEqual([
      { cluster: 'east', namespace: 'a', pod: 'p2', container: 'side', memoryWorkingSetBytes: 10 },
      {
        cluster: 'east',
        namespace: 'b',
        pod: 'p1',
        container: 'main',
        cpuCores: 1.5,
        memoryWorkingSetBytes: 2048,
      },
    ]);
  });
});
