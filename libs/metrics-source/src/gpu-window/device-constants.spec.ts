import { parsePromQL } from '@kcloud/prometheus/testing';
import { eq } from '@kcloud/prometheus';
import { constantQueries, DeviceConstantsCache, foldConstants } from './device-constants';

const sample = (UUID: string, value: number, GPU_I_ID?: string) => ({
  labels: { UUID, ...(GPU_I_ID ? { GPU_I_ID } : {}) },
  value,
});

describe('device constants', () => {
  it('reads capacity as USED + FREE, reservation and limit, each reduced to (UUID, GPU_I_ID), matchers escaped', () => {
    const queries = constantQueries([eq('cluster', 'a"b')]);
    expect(queries.map((q) => q.query)).toEqual([
      'avg by (UUID, GPU_I_ID) ((DCGM_FI_DEV_FB_USED{cluster="a\\"b"}) + (DCGM_FI_DEV_FB_FREE{cluster="a\\"b"}))',
      'avg by (UUID, GPU_I_ID) (DCGM_FI_DEV_FB_RESERVED{cluster="a\\"b"})',
      'avg by (UUID, GPU_I_ID) (DCGM_FI_DEV_POWER_MGMT_LIMIT{cluster="a\\"b"})',
    ]);
    for (const { query } of queries) {
      const parsed = parsePromQL(query);
      expect(parsed.errors).toEqual([]);
      expect(parsed.strings).toEqual(parsed.strings.map(() => 'a"b'));
    }
  });

  it('keys values by device and MIG instance and drops NaN, non-positive capacities and blank sentinels', () => {
    const folded = foldConstants([
      {
        field: 'memoryUsableMiB',
        samples: [
          sample('GPU-a', 81_000),
          sample('GPU-a', 9_800, '7'),
          sample('GPU-b', 4294967295),
          sample('GPU-c', 0),
        ],
      },
      { field: 'memoryReservedMiB', samples: [sample('GPU-a', 0), sample('GPU-b', 559)] },
      {
        field: 'powerLimitWatts',
        samples: [sample('GPU-a', 700), sample('GPU-b', NaN), sample('GPU-c', 2147483632)],
      },
    ]);
    expect(Object.fromEntries(folded)).toEqual({
      'GPU-a': { memoryUsableMiB: 81_000, memoryReservedMiB: 0, powerLimitWatts: 700 },
      'GPU-a/7': { memoryUsableMiB: 9_800 },
      'GPU-b': { memoryReservedMiB: 559 },
    });
  });

  it('serves a cluster until the TTL expires, and reports new devices or missing capacities as not covered', () => {
    let now = 1_000_000;
    const cache = new DeviceConstantsCache(300, () => now);
    const values = new Map([
      ['GPU-a', { memoryUsableMiB: 81_000 }],
      ['GPU-b', { powerLimitWatts: 700 }],
    ]);
    expect(cache.fresh('c1')).toBeUndefined();
    cache.store('c1', values, ['GPU-a', 'GPU-b'], now);
    const entry = cache.fresh('c1')!;
    expect(DeviceConstantsCache.covers(entry, ['GPU-a'])).toBe(true);
    // GPU-b came back without a capacity: asked again next time rather than left without memory for 5 minutes.
    expect(DeviceConstantsCache.covers(entry, ['GPU-a', 'GPU-b'])).toBe(false);
    expect(DeviceConstantsCache.covers(entry, ['GPU-a', 'GPU-new'])).toBe(false);
    expect(cache.fresh('c2')).toBeUndefined();
    now += 299_999;
    expect(cache.fresh('c1')).toBe(entry);
    now += 1;
    expect(cache.fresh('c1')).toBeUndefined();
  });

  it('with a TTL of 0 never serves from the cache', () => {
    const cache = new DeviceConstantsCache(0, () => 5);
    cache.store('c1', new Map([['GPU-a', { memoryUsableMiB: 1 }]]), ['GPU-a'], 5);
    expect(cache.fresh('c1')).toBeUndefined();
  });
});
