import {
  layoutRows,
  namespaceWaste,
  NO_FILTER,
  type NpuRow,
  type ScoreRow,
  statusCounts,
  UNALLOCATED,
} from './fleet';

const row = (over: Partial<ScoreRow> & Pick<ScoreRow, 'id'>): ScoreRow => ({
  gpuId: over.id,
  uuid: over.id,
  cluster: 'east',
  node: 'n1',
  namespace: 'ml',
  pod: 'p',
  migInstanceId: null,
  migProfile: null,
  model: 'H100',
  status: 'NORMAL',
  score: 50,
  reason: null,
  powerWatts: 100,
  memoryUsedMiB: null,
  statusSince: '2026-01-01T00:00:00Z',
  stale: false,
  inputs: {
    utilizationPercent: null,
    memoryCopyUtilizationPercent: null,
    memoryUsedPercent: null,
    powerPercent: null,
  },
  ...over,
});

const npu: NpuRow = {
  uuid: 'N1',
  cluster: 'east',
  node: 'n2',
  model: 'RNGD',
  vendor: 'furiosa',
  namespace: null,
  pod: null,
  utilizationPercent: 1,
  powerWatts: 20,
  healthy: true,
};

describe('layoutRows', () => {
  const rows = [
    row({ id: 'G1' }),
    row({ id: 'G2/1', uuid: 'G2', migInstanceId: '1', status: 'IDLE' }),
    row({ id: 'G2/2', uuid: 'G2', migInstanceId: '2' }),
    row({ id: 'G3', cluster: 'west', node: 'w1', namespace: null, model: 'A100' }),
  ];

  it('groups devices by cluster then node in arrival order, MIG instances inside their board', () => {
    const { rows: grid, gpus, npus } = layoutRows(rows, [npu], NO_FILTER);
    expect([gpus, npus]).toEqual([4, 1]);
    expect(
      grid.map((r) =>
        r.kind === 'cluster'
          ? `# ${r.cluster} ${r.gpus}`
          : `${r.node}: ${r.boards.map((b) => `${b.uuid}×${b.tiles.length}`).join(' ')}`,
      ),
    ).toEqual(['# east 3', 'n1: G1×1 G2×2', 'n2: N1×1', '# west 1', 'w1: G3×1']);
  });

  it.each([
    [{ cluster: 'west' }, 1, 0],
    [{ namespace: UNALLOCATED }, 1, 1],
    [{ status: 'IDLE' }, 1, 0],
    [{ status: 'NPU' }, 0, 1],
    [{ model: 'A100' }, 1, 0],
  ])('filters by %j', (f, gpus, npus) => {
    expect(layoutRows(rows, [npu], { ...NO_FILTER, ...f })).toMatchObject({ gpus, npus });
  });

  it('lays out 10,000 GPUs in well under a second', () => {
    const many = Array.from({ length: 10_000 }, (_, i) =>
      row({ id: `G${i}`, node: `n${Math.floor(i / 8)}` }),
    );
    const t0 = performance.now();
    const { rows: grid } = layoutRows(many, [], NO_FILTER);
    expect(grid).toHaveLength(1 + 1250);
    expect(performance.now() - t0).toBeLessThan(5_000); // only separates linear from quadratic on a shared CI host
  });
});

describe('namespaceWaste and statusCounts', () => {
  it('puts the namespace with the most idle GPUs first, then low ones, then idle power', () => {
    const rows = [
      row({ id: 'a', namespace: 'busy', status: 'HIGH' }),
      row({ id: 'b', namespace: 'lazy', status: 'IDLE', powerWatts: 60 }),
      row({ id: 'c', namespace: 'lazy', status: 'IDLE', powerWatts: null, score: null }),
      row({ id: 'd', namespace: 'slow', status: 'LOW' }),
      row({ id: 'e', namespace: null, status: 'IDLE', powerWatts: 200 }),
    ];
    expect(namespaceWaste(rows)).toEqual([
      { namespace: 'lazy', gpus: 2, idle: 2, low: 0, idlePowerWatts: 60, averageScore: 50 },
      { namespace: UNALLOCATED, gpus: 1, idle: 1, low: 0, idlePowerWatts: 200, averageScore: 50 },
      { namespace: 'slow', gpus: 1, idle: 0, low: 1, idlePowerWatts: 0, averageScore: 50 },
      { namespace: 'busy', gpus: 1, idle: 0, low: 0, idlePowerWatts: 0, averageScore: 50 },
    ]);
    expect(statusCounts(rows)).toEqual({ IDLE: 3, LOW: 1, NORMAL: 0, HIGH: 1, UNKNOWN: 0, UNALLOCATED: 0 });
  });
});
