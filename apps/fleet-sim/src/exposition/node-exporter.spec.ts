import { simHost } from '@kcloud/fleet-model';
import { renderNodeExporter } from './node-exporter';

describe('renderNodeExporter', () => {
  it('renders node_exporter’s cpu and meminfo families with its names, help texts and labels', () => {
    const text = renderNodeExporter(simHost('east', 'gpu-node-01', Date.UTC(2026, 0, 1)));
    const lines = text.split('\n');
    expect(lines.slice(0, 2)).toEqual([
      '# HELP node_cpu_seconds_total Seconds the CPUs spent in each mode.',
      '# TYPE node_cpu_seconds_total counter',
    ]);
    expect(lines.filter((l) => l.startsWith('node_cpu_seconds_total{'))).toHaveLength(32 * 4);
    expect(lines[2]).toMatch(/^node_cpu_seconds_total\{cpu="0",mode="idle"\} \d+(\.\d+)?(e\+\d+)?$/);
    expect(text).toContain('# TYPE node_memory_MemTotal_bytes gauge\nnode_memory_MemTotal_bytes 5.49755813888e+11\n');
    expect(text).toMatch(/# TYPE node_memory_MemAvailable_bytes gauge\nnode_memory_MemAvailable_bytes \S+\n/);
    expect(text.endsWith('\n')).toBe(true);
  });
});
