import { type GpuWindowAggregate, InvalidReadingReason } from '@kcloud/metrics-source';
import { modelTdpWatts } from './power-limits';
import { scoreDevice, statusOf } from './scoring';
import {
  DEFAULT_THRESHOLDS,
  DEFAULT_WEIGHTS,
  scoringConfigProblems,
  type ScoringConfig,
} from './scoring-config';

const NOW = Date.UTC(2026, 0, 1, 12);
const config: ScoringConfig = {
  weights: DEFAULT_WEIGHTS,
  thresholds: DEFAULT_THRESHOLDS,
  idleActivityPercent: 1,
  stalenessSeconds: 120,
  defaultPowerLimitWatts: 300,
};

/** A whole GPU whose four inputs are exactly the given percentages (limit 400 W, 100 000 MiB framebuffer). */
function gpu(
  util: number,
  copy: number,
  mem: number,
  power: number,
  extra: Partial<GpuWindowAggregate> = {},
): GpuWindowAggregate {
  return {
    cluster: 'c',
    node: 'n',
    uuid: 'GPU-1',
    index: 0,
    model: 'NVIDIA H100 80GB HBM3',
    tenants: [{ namespace: 'ns', pod: 'p', container: 'c' }],
    utilizationPercent: util,
    memoryCopyUtilizationPercent: copy,
    memoryUsedMiB: mem * 1000,
    memoryFreeMiB: (100 - mem) * 1000,
    powerWatts: power * 4,
    powerLimitWatts: 400,
    grEngineActiveRatio: util / 100,
    dramActiveRatio: copy / 100,
    observedAt: new Date(NOW - 5_000),
    ...extra,
  };
}

/** Inputs that all equal `s` score exactly `s` whatever the weights. */
const uniform = (s: number) => gpu(s, s, s, s);

/** Each side of every default threshold, with the status a score there has. */
const BOUNDARIES: [number, string][] = [
  [9.99, 'idle'],
  [10, 'low'],
  [19.99, 'low'],
  [20, 'normal'],
  [69.99, 'normal'],
  [70, 'high'],
];

describe('statusOf: every boundary of idle < 10 ≤ low < 20 ≤ normal < 70 ≤ high', () => {
  it.each([[0, 'idle'], ...BOUNDARIES, [100, 'high']])('score %p is %s', (score, status) => {
    expect(statusOf(score, DEFAULT_THRESHOLDS)).toBe(status);
  });

  it('follows configured thresholds', () => {
    const t = { idle: 5, low: 30, high: 90 };
    expect([4.99, 5, 29.99, 30, 89.99, 90].map((s) => statusOf(s, t))).toEqual([
      'idle',
      'low',
      'low',
      'normal',
      'normal',
      'high',
    ]);
  });
});

describe('scoreDevice', () => {
  it.each(BOUNDARIES)('scores uniform inputs of %p as exactly that, status %s', (s, status) => {
    const r = scoreDevice(uniform(s), config, NOW);
    expect(r.score).toBeCloseTo(s, 9);
    expect(r.status).toBe(status);
  });

  it('applies 0.5·util + 0.2·memcopy + 0.2·memused + 0.1·power', () => {
    const r = scoreDevice(gpu(80, 40, 90, 60), config, NOW);
    expect(r.score).toBeCloseTo(0.5 * 80 + 0.2 * 40 + 0.2 * 90 + 0.1 * 60, 9);
    expect(r.inputs).toEqual({
      utilizationPercent: 80,
      memoryCopyUtilizationPercent: 40,
      memoryUsedPercent: 90,
      powerPercent: 60,
    });
    expect(r.sources).toEqual({
      utilization: 'GPU_UTIL',
      memoryCopy: 'MEM_COPY_UTIL',
      power: 'DEVICE',
      powerLimit: 'EXPORTER',
    });
  });

  it.each([
    [{ utilization: 1, memoryCopy: 0, memoryUsed: 0, power: 0 }, 80],
    [{ utilization: 0, memoryCopy: 0, memoryUsed: 1, power: 0 }, 90],
    [{ utilization: 0.25, memoryCopy: 0.25, memoryUsed: 0.25, power: 0.25 }, 67.5],
  ])('uses configured weights %j', (weights, expected) => {
    expect(scoreDevice(gpu(80, 40, 90, 60), { ...config, weights }, NOW).score).toBeCloseTo(expected, 9);
  });

  it('counts FB_RESERVED in the framebuffer total when exported', () => {
    const r = scoreDevice(
      gpu(50, 50, 50, 50, { memoryUsedMiB: 40_000, memoryFreeMiB: 40_000, memoryReservedMiB: 20_000 }),
      config,
      NOW,
    );
    expect(r.inputs.memoryUsedPercent).toBeCloseTo(40, 9);
  });

  describe('power limit', () => {
    it('falls back to the model TDP table when the exporter sends no limit', () => {
      const r = scoreDevice(
        gpu(50, 50, 50, 50, { powerLimitWatts: undefined, powerWatts: 350 }),
        config,
        NOW,
      );
      expect(modelTdpWatts('NVIDIA H100 80GB HBM3')).toBe(700);
      expect(r.inputs.powerPercent).toBeCloseTo(50, 9);
      expect(r.sources.powerLimit).toBe('MODEL_TDP');
      expect(r.powerLimitWatts).toBe(700);
    });

    it('matches model names with blanks replaced by dashes', () => {
      expect(modelTdpWatts('NVIDIA-A100-SXM4-80GB')).toBe(400);
    });

    it('uses the configured default for an unknown model without an exported limit', () => {
      const r = scoreDevice(
        gpu(50, 50, 50, 50, { powerLimitWatts: undefined, model: 'Mystery GPU', powerWatts: 150 }),
        config,
        NOW,
      );
      expect(r.sources.powerLimit).toBe('CONFIGURED_DEFAULT');
      expect(r.inputs.powerPercent).toBeCloseTo(50, 9);
    });

    it('ignores a zero or sentinel limit', () => {
      for (const powerLimitWatts of [0, 4294967295, NaN])
        expect(scoreDevice(gpu(50, 50, 50, 50, { powerLimitWatts }), config, NOW).sources.powerLimit).toBe(
          'MODEL_TDP',
        );
    });
  });

  describe('MIG instances', () => {
    const slice = (extra: Partial<GpuWindowAggregate> = {}) =>
      gpu(0, 0, 50, 50, {
        migInstanceId: '7',
        migProfile: '1g.10gb',
        utilizationPercent: undefined,
        memoryCopyUtilizationPercent: undefined,
        grEngineActiveRatio: 0.8,
        dramActiveRatio: 0.3,
        ...extra,
      });

    it('reads GR_ENGINE_ACTIVE × 100 and DRAM_ACTIVE × 100, and the parent board power', () => {
      const r = scoreDevice(slice(), config, NOW);
      expect(r.inputs.utilizationPercent).toBeCloseTo(80, 9);
      expect(r.inputs.memoryCopyUtilizationPercent).toBeCloseTo(30, 9);
      expect(r.sources).toEqual({
        utilization: 'GR_ENGINE_ACTIVE',
        memoryCopy: 'DRAM_ACTIVE',
        power: 'PARENT_GPU',
        powerLimit: 'EXPORTER',
      });
      expect(r.score).toBeCloseTo(0.5 * 80 + 0.2 * 30 + 0.2 * 50 + 0.1 * 50, 9);
    });

    it('ignores a GPU_UTIL of 0 reported on an instance', () => {
      const r = scoreDevice(slice({ utilizationPercent: 0, memoryCopyUtilizationPercent: 0 }), config, NOW);
      expect(r.inputs.utilizationPercent).toBeCloseTo(80, 9);
    });

    it('is unknown, not idle, when the instance has no DCP fields', () => {
      const r = scoreDevice(
        slice({ grEngineActiveRatio: undefined, dramActiveRatio: undefined }),
        config,
        NOW,
      );
      expect(r.status).toBe('unknown');
      expect(r.score).toBeUndefined();
      expect(r.reason).toMatch(/utilization: no samples.*memory copy utilization: no samples/);
    });
  });

  describe('bad data is unknown with a reason, never a score of 0', () => {
    it.each<[string, Partial<GpuWindowAggregate>, RegExp]>([
      ['NaN utilization', { utilizationPercent: NaN }, /utilization: reading is NaN/],
      [
        'missing utilization and GR',
        { utilizationPercent: undefined, grEngineActiveRatio: undefined },
        /utilization: no samples/,
      ],
      ['missing power', { powerWatts: undefined }, /power: no samples/],
      ['missing framebuffer', { memoryFreeMiB: undefined }, /memory used: no samples/],
      ['NaN framebuffer', { memoryUsedMiB: NaN }, /memory used: reading is NaN/],
      [
        'corrupt GPU_UTIL 4294967295 in the window',
        { utilizationPercent: (4294967295 + 59 * 40) / 60 },
        /utilization: corrupt reading/,
      ],
      [
        'corrupt FB_USED 4294967295',
        { memoryUsedMiB: 4294967295 },
        /memory used: corrupt framebuffer reading/,
      ],
      [
        'negative memory copy',
        { memoryCopyUtilizationPercent: -3 },
        /memory copy utilization: corrupt reading/,
      ],
      ['power far above the limit', { powerWatts: 4000 }, /power: corrupt reading/],
      [
        'a utilization average the source refused (a DCGM blank in the window)',
        {
          utilizationPercent: undefined,
          invalidReadings: [{ field: 'utilizationPercent', reason: InvalidReadingReason.DCGM_BLANK }],
        },
        /utilization: refused reading \(DCGM_BLANK\)/,
      ],
      [
        'a framebuffer reading the source refused',
        {
          memoryUsedMiB: undefined,
          invalidReadings: [{ field: 'memoryUsedMiB', reason: InvalidReadingReason.OUT_OF_RANGE }],
        },
        /memory used: refused reading \(OUT_OF_RANGE\)/,
      ],
      [
        'a signal the exporter does not provide',
        {
          memoryCopyUtilizationPercent: undefined,
          dramActiveRatio: undefined,
          notExported: { memoryCopyUtilizationPercent: 'all-smi does not export it' },
        },
        /memory copy utilization: not exported \(all-smi does not export it\)/,
      ],
      [
        'a stale device',
        { observedAt: new Date(NOW - 600_000) },
        /stale: newest sample is 600 s old \(limit 120 s\)/,
      ],
      [
        'GR_ENGINE_ACTIVE 0 while GPU_UTIL high',
        { utilizationPercent: 90, grEngineActiveRatio: 0 },
        /contradictory signals: GPU_UTIL 90 % while GR_ENGINE_ACTIVE 0 %/,
      ],
      [
        'GPU_UTIL 0 while GR_ENGINE_ACTIVE high',
        { utilizationPercent: 0, grEngineActiveRatio: 0.9 },
        /contradictory signals/,
      ],
    ])('%s', (_name, extra, reason) => {
      const r = scoreDevice(gpu(40, 40, 40, 40, extra), config, NOW);
      expect(r.status).toBe('unknown');
      expect(r.score).toBeUndefined();
      expect(r.reason).toMatch(reason);
    });
  });

  it('does not score a failing device (critical XID or double-bit ECC), whatever its numbers; warning XIDs are scored', () => {
    const fallen = scoreDevice(gpu(80, 80, 80, 80, { lastXid: 79 }), config, NOW);
    expect(fallen.status).toBe('unknown');
    expect(fallen.score).toBeUndefined();
    expect(fallen.reason).toContain('critical XID 79');
    const dbe = scoreDevice(gpu(80, 80, 80, 80, { eccDoubleBitVolatileCount: 3 }), config, NOW);
    expect(dbe.status).toBe('unknown');
    expect(dbe.reason).toContain('3 double-bit ECC');
    const warned = scoreDevice(
      gpu(80, 80, 80, 80, { lastXid: 13, eccDoubleBitVolatileCount: 0 }),
      config,
      NOW,
    );
    expect(warned.status).toBe('high');
  });

  it('clamps rounding slack just outside 0–100 and power briefly above the limit', () => {
    const r = scoreDevice(gpu(100.4, -0.3, 50, 120), config, NOW);
    expect(r.inputs).toMatchObject({
      utilizationPercent: 100,
      memoryCopyUtilizationPercent: 0,
      powerPercent: 100,
    });
    expect(r.status).toBe('high');
  });

  it('calls a GPU with no compute activity idle whatever memory it holds, and says why', () => {
    const notebook = scoreDevice(gpu(0, 0, 70, 15, { grEngineActiveRatio: 0 }), config, NOW);
    expect(notebook.score).toBeCloseTo(0.2 * 70 + 0.1 * 15, 9);
    expect(notebook.status).toBe('idle');
    expect(notebook.reason).toMatch(/no compute activity/);
    const off = scoreDevice(
      gpu(0, 0, 70, 15, { grEngineActiveRatio: 0 }),
      { ...config, idleActivityPercent: 0 },
      NOW,
    );
    expect(off.status).toBe('low');
    expect(off.reason).toBeUndefined();
  });
});

describe('scoringConfigProblems', () => {
  it('accepts the defaults and weights that sum to 1 within 1e-9', () => {
    expect(scoringConfigProblems(DEFAULT_WEIGHTS, DEFAULT_THRESHOLDS)).toEqual([]);
    expect(
      scoringConfigProblems(
        { utilization: 0.1, memoryCopy: 0.2, memoryUsed: 0.3, power: 0.4 },
        DEFAULT_THRESHOLDS,
      ),
    ).toEqual([]);
  });

  it.each<[string, object, object, RegExp]>([
    [
      'weights not summing to 1',
      { utilization: 0.5, memoryCopy: 0.2, memoryUsed: 0.2, power: 0.2 },
      DEFAULT_THRESHOLDS,
      /weights must sum to 1 \(got 1\.09/,
    ],
    [
      'a negative weight',
      { utilization: 0.7, memoryCopy: 0.2, memoryUsed: 0.2, power: -0.1 },
      DEFAULT_THRESHOLDS,
      /weights.power must be a number ≥ 0/,
    ],
    ['NaN weight', { ...DEFAULT_WEIGHTS, power: NaN }, DEFAULT_THRESHOLDS, /weights.power/],
    [
      'thresholds not increasing',
      DEFAULT_WEIGHTS,
      { idle: 20, low: 20, high: 70 },
      /thresholds must increase/,
    ],
    [
      'a threshold above 100',
      DEFAULT_WEIGHTS,
      { idle: 10, low: 20, high: 170 },
      /thresholds.high must be between 0 and 100/,
    ],
  ])('rejects %s', (_name, weights, thresholds, message) => {
    expect(scoringConfigProblems(weights as never, thresholds as never).join('\n')).toMatch(message);
  });
});
