import { defaultScenario, type SimGpu } from '@kcloud/fleet-model';
import { type GpuScoreRow, gpuScoreRows } from './harness/gpu-score-rows';
import { pollUntil } from './harness/poll';
import { at } from './harness/indexed';
import { useStack } from './harness/use-stack';

describe('analyzer: a MIG board with a critical XID fails all its instances (real Prometheus scraping the simulator)', () => {
  let board: SimGpu[];
  // Which instance's rows carry the XID; none until the test raises it.
  let xidRow: string | undefined;
  const scenario = { ...defaultScenario(), tickSeconds: 3600 };
  const cluster = at(scenario.clusters, 0, 'scenario cluster').name;

  const stack = useStack(scenario, [{ name: cluster, shape: 'plain' }], {
    ANALYZER_INTERVAL_SECONDS: '1',
    ANALYZER_WINDOW_SECONDS: '5',
  });

  beforeAll(async () => {
    board = stack.model.gpus(cluster).filter((g) => g.migInstanceId !== undefined);
    // dcgm-exporter reports a MIG board only per instance, and a board counter need not reach Prometheus on every
    // instance row: the simulator serves the XID on one instance's row only (the others keep 0).
    const gpus = stack.model.gpus.bind(stack.model);
    stack.model.gpus = (...args: Parameters<typeof gpus>) =>
      gpus(...args).map((g) =>
        g.uuid === board[0]?.uuid && g.migInstanceId === xidRow ? { ...g, xid: 79 } : g,
      );
  });

  const instances = async (): Promise<GpuScoreRow[]> =>
    (await gpuScoreRows(stack.url)).filter((r) => r.uuid === at(board, 0, 'MIG instance').uuid);

  it('marks every instance of the board UNKNOWN with the board named, though only one row carries the XID', async () => {
    // The scenario must have a board with several instances, or the test proves nothing.
    expect(board.length).toBeGreaterThan(1);
    const ids = board.map((g) => g.migInstanceId).sort();
    const before = await pollUntil('the board’s instances analysed', async () => {
      const rows = await instances();
      return rows.length === board.length ? rows : undefined;
    });
    expect(before.filter((r) => r.reason?.includes('XID'))).toEqual([]);

    xidRow = at(board, 0, 'MIG instance').migInstanceId;
    const after = await pollUntil(
      'every instance of the board failing',
      async () => {
        const rows = await instances();
        return rows.length === board.length && rows.every((r) => r.reason?.includes('XID 79'))
          ? rows
          : undefined;
      },
      { timeoutMs: 60_000 },
    );
    expect(after.map((r) => r.migInstanceId).sort()).toEqual(ids);
    for (const r of after) {
      expect(r.status).toBe('UNKNOWN');
      expect(r.score).toBeNull();
      expect(r.reason).toContain(
        'failing board (every MIG instance on it): critical XID 79 (GPU has fallen off the bus)',
      );
    }
    // Other GPUs are not touched by this board's fault.
    const others = (await gpuScoreRows(stack.url)).filter(
      (r) => r.uuid !== at(board, 0, 'MIG instance').uuid,
    );
    expect(others.length).toBeGreaterThan(0);
    expect(others.filter((r) => r.reason?.includes('XID'))).toEqual([]);
  });
});
