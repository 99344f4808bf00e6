import { FleetModel } from '@kcloud/fleet-model';
import type { SimGpu, WorkloadPattern } from '@kcloud/fleet-model';

/**
 * Value ranges per pattern, checked over many devices and buckets (table-driven): what a reader of the README may
 * rely on when writing assertions against the simulator.
 */
const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);
const BUCKETS = 60;

function run(pattern: WorkloadPattern): SimGpu[][] {
  const m = new FleetModel({
    seed: 'patterns',
    clusters: [
      {
        name: 'c',
        generate: { nodes: 4, gpusPerNode: 8, gpuModel: 'NVIDIA H100 80GB HBM3', mix: { [pattern]: 1 } },
      },
    ],
  });
  return Array.from({ length: BUCKETS }, (_, i) => m.gpus(undefined, T0 + i * 10_000));
}

type Range = readonly [number, number];
const within = (x: number, [lo, hi]: Range): boolean => x >= lo && x <= hi;

const cases: readonly {
  readonly pattern: WorkloadPattern;
  readonly util: readonly [Range, ...Range[]];
  readonly memcopy: readonly Range[];
  readonly memoryPct: Range;
  readonly powerPct: readonly Range[];
  readonly allocated: boolean;
}[] = [
  {
    pattern: 'training',
    util: [[85, 98]],
    memcopy: [[40, 60]],
    memoryPct: [85, 95],
    powerPct: [[80, 95]],
    allocated: true,
  },
  {
    pattern: 'inference',
    util: [
      [60, 90],
      [2, 10],
    ],
    memcopy: [
      [20, 45],
      [0, 3],
    ],
    memoryPct: [35, 60],
    powerPct: [
      [55, 80],
      [15, 22],
    ],
    allocated: true,
  },
  {
    pattern: 'notebook',
    util: [[0, 0]],
    memcopy: [[0, 0]],
    memoryPct: [60, 80],
    powerPct: [[12, 18]],
    allocated: true,
  },
  {
    pattern: 'unallocated',
    util: [[0, 0]],
    memcopy: [[0, 0]],
    memoryPct: [0.3, 0.7],
    powerPct: [[8, 12]],
    allocated: false,
  },
  {
    pattern: 'dataloader-stall',
    util: [
      [85, 95],
      [2, 8],
    ],
    memcopy: [
      [35, 55],
      [1, 4],
    ],
    memoryPct: [75, 90],
    powerPct: [
      [75, 90],
      [20, 30],
    ],
    allocated: true,
  },
];

describe.each(cases)('pattern $pattern', ({ pattern, util, memcopy, memoryPct, powerPct, allocated }) => {
  const series = run(pattern);
  const all = series.flat();

  it('keeps util, memory copy, memory and power within the documented ranges', () => {
    for (const g of all) {
      expect(util.some((r) => within(g.utilizationPercent!, r))).toBe(true);
      expect(memcopy.some((r) => within(g.memoryCopyUtilizationPercent!, r))).toBe(true);
      const usable = g.memoryUsedMiB + g.memoryFreeMiB;
      expect(within((100 * g.memoryUsedMiB) / usable, [memoryPct[0] - 0.01, memoryPct[1] + 0.01])).toBe(true);
      expect(
        powerPct.some(([lo, hi]) =>
          within((100 * g.powerWatts) / g.powerLimitWatts, [lo - 0.001, hi + 0.001]),
        ),
      ).toBe(true);
    }
  });

  it(`${allocated ? 'has' : 'has no'} tenant`, () => {
    expect(all.every((g) => (g.pod !== undefined) === allocated)).toBe(true);
  });

  if (util.length === 2) {
    it('alternates between busy and quiet buckets, about half of each', () => {
      const [busyFrom] = util[0];
      for (let d = 0; d < (series[0]?.length ?? 0); d++) {
        const busy = series.filter((s) => (s[d]?.utilizationPercent ?? 0) >= busyFrom).length;
        expect(busy).toBeGreaterThanOrEqual(BUCKETS / 2 - 3);
        expect(busy).toBeLessThanOrEqual(BUCKETS / 2 + 3);
      }
    });
  }
});

it('dataloader-stall flips every bucket while inference stays busy or quiet for several', () => {
  const flips = (pattern: WorkloadPattern): number => {
    const s = run(pattern).map((gpus) => (gpus[0]?.utilizationPercent ?? 0) > 50);
    return s.slice(1).filter((busy, i) => busy !== s[i]).length;
  };
  expect(flips('dataloader-stall')).toBe(BUCKETS - 1);
  expect(flips('inference')).toBeLessThan(BUCKETS / 2);
});
