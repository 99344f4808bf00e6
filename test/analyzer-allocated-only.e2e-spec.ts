import { Logger } from '@nestjs/common';
import { defaultScenario } from '@kcloud/fleet-model';
import { gpuScoreRowsAndStats } from './harness/gpu-score-rows';
import { pollUntil } from './harness/poll';
import { bothScrapeShapes } from './harness/stacks';
import { useStack } from './harness/use-stack';

interface Stats {
  total: number;
  averageScore: number | null;
  lowUtilizationCount: number;
  byStatus: { status: string; count: number }[];
}

const key = (g: { uuid: string; migInstanceId?: string | null }) => `${g.uuid}/${g.migInstanceId ?? ''}`;

describe('ANALYZER_ALLOCATED_ONLY=true (real Prometheus scraping the simulator)', () => {
  // Hour-long ticks keep the numbers (and so the statuses) still across cycles.
  const scenario = { ...defaultScenario(), tickSeconds: 3600 };
  // The cycle's log lines, as the analyzer writes them (the Logger calls, before any level filter).
  const logged: { level: 'log' | 'warn'; line: string }[] = [];
  const spies = (['log', 'warn'] as const).map((level) =>
    jest
      .spyOn(Logger.prototype, level)
      .mockImplementation((...args: unknown[]) => void logged.push({ level, line: String(args[0]) })),
  );

  const stack = useStack(scenario, bothScrapeShapes(scenario), {
    ANALYZER_INTERVAL_SECONDS: '1',
    ANALYZER_WINDOW_SECONDS: '5',
    ANALYZER_ALLOCATED_ONLY: 'true',
  });
  // Declared after useStack: the spies go once the stack is closed (its shutdown logs through them too).
  afterAll(() => {
    for (const s of spies) s.mockRestore();
  });

  const read = () =>
    gpuScoreRowsAndStats<Stats>(
      stack.url,
      'total averageScore lowUtilizationCount byStatus { status count }',
    );

  it('scores the GPUs a pod holds, lists the others UNALLOCATED with a reason, and leaves them out of totals', async () => {
    const allocated = new Set(
      stack.model
        .gpus()
        .filter((g) => g.pod)
        .map(key),
    );
    const unallocated = new Set(
      stack.model
        .gpus()
        .filter((g) => !g.pod)
        .map(key),
    );
    // The scenario must have both kinds, or the test proves nothing.
    expect(allocated.size).toBeGreaterThan(0);
    expect(unallocated.size).toBeGreaterThan(0);
    const { rows, stats } = await pollUntil('every GPU listed', async () => {
      const r = await read();
      return new Set(r.rows.map(key)).size === allocated.size + unallocated.size ? r : undefined;
    });
    const free = rows.filter((r) => r.status === 'UNALLOCATED');
    expect(new Set(free.map(key))).toEqual(unallocated);
    for (const r of free) {
      expect(r.score).toBeNull();
      expect(r.reason).toContain('no pod holds this GPU (ANALYZER_ALLOCATED_ONLY');
      expect(r.activityState).toBe('UNALLOCATED');
    }
    const held = rows.filter((r) => r.status !== 'UNALLOCATED');
    expect(new Set(held.map(key))).toEqual(allocated);
    // Totals and the average are over the allocated GPUs only, as seed 002's {pod!=""}.
    expect(stats.total).toBe(allocated.size);
    const scores = [...new Map(held.filter((r) => r.score !== null).map((r) => [key(r), r.score!])).values()];
    expect(stats.averageScore).toBeCloseTo(scores.reduce((a, b) => a + b, 0) / scores.length, 6);
    expect(stats.byStatus.find((s) => s.status === 'UNALLOCATED')!.count).toBe(unallocated.size);

    // The scores export lists them too, without a score.
    const res = await fetch(`${stack.url}/api/v1/export/scores?format=json`);
    expect(res.status).toBe(200);
    const exported = (await res.json()) as { gpu_id: string; status: string; score: number | null }[];
    const exportedFree = exported.filter((r) => r.status === 'unallocated');
    expect(exportedFree.length).toBeGreaterThanOrEqual(unallocated.size);
    expect(exportedFree.every((r) => r.score === null)).toBe(true);

    // /metrics: the fleet total leaves them out; the by-status gauge counts them.
    const metrics = await (await fetch(`${stack.url}/metrics`)).text();
    expect(metrics).toMatch(new RegExp(`^gpu_total_count ${allocated.size}$`, 'm'));
    expect(metrics).toMatch(
      new RegExp(`^gpu_status_count\\{status="unallocated"\\} ${unallocated.size}$`, 'm'),
    );
  });

  it('logs one summary line and at most one bounded WARN line per cycle, counting unallocated and low GPUs', async () => {
    const { stats } = await read();
    expect(stats.lowUtilizationCount).toBeGreaterThan(0);
    const unallocated = stack.model.gpus().filter((g) => !g.pod).length;
    const summary = await pollUntil('a summary line counting the unallocated GPUs', async () =>
      logged.find(
        (l) => l.level === 'log' && l.line.endsWith(`unallocated (listed, not scored): ${unallocated}`),
      ),
    );
    const run = /^analysis run (\d+):/.exec(summary.line)![1];
    const warn = await pollUntil('the low-utilisation warning of that run', async () =>
      logged.find((l) => l.level === 'warn' && l.line.startsWith(`analysis run ${run}: `)),
    );
    const m =
      /^analysis run \d+: (\d+) GPU\(s\) under the low-utilisation threshold \(IDLE or LOW, score < 20\): (.*)$/.exec(
        warn.line,
      );
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBe(stats.lowUtilizationCount);
    // Bounded: ten GPUs named at most, the rest counted.
    const named = m![2]!.split('), ').length;
    expect(named).toBeLessThanOrEqual(10);
    if (stats.lowUtilizationCount > 10) expect(m![2]).toMatch(/, and \d+ more$/);
    // One warning per cycle, never one per GPU.
    const perRun = new Map<string, number>();
    for (const l of logged.filter((x) => x.level === 'warn' && x.line.includes('low-utilisation'))) {
      const id = /^analysis run (\d+):/.exec(l.line)![1]!;
      perRun.set(id, (perRun.get(id) ?? 0) + 1);
    }
    expect([...perRun.values()].every((n) => n === 1)).toBe(true);
  });
});
