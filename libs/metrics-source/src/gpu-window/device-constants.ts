import { aggregate, binary, type Matcher, type PromQL, selector } from '@kcloud/prometheus';
import { classifyReading, type ReadingField } from '../quality/reading-value';
import { dcgmKeyOf } from '../gpu-snapshot/gpu-join';
import { type PromSample } from '../shared/prom-sample';

/** Per-device values that do not move within a window: framebuffer capacity and reservation, board power limit. */
export interface DeviceConstants {
  /** FB_USED + FB_FREE: the framebuffer a workload can use (reservation excluded). */
  readonly memoryUsableMiB?: number;
  readonly memoryReservedMiB?: number;
  readonly powerLimitWatts?: number;
}

type ConstantField = keyof DeviceConstants;

/** How each constant is judged (a capacity is a memory reading, the limit a board power). */
const READING_OF: Readonly<Record<ConstantField, ReadingField>> = {
  memoryUsableMiB: 'memoryTotalMiB',
  memoryReservedMiB: 'memoryReservedMiB',
  powerLimitWatts: 'powerLimitWatts',
};

const KEY_LABELS = ['UUID', 'GPU_I_ID'];

/** One instant request per constant, reduced to (UUID, GPU_I_ID). */
export function constantQueries(
  matchers: readonly Matcher[],
): readonly { field: ConstantField; query: PromQL }[] {
  const of = (metric: string) => selector(metric, [...matchers]);
  return [
    {
      field: 'memoryUsableMiB',
      // USED and FREE come from the same exporter row, so they match one to one on every label.
      query: aggregate('avg', KEY_LABELS, binary(of('DCGM_FI_DEV_FB_USED'), '+', of('DCGM_FI_DEV_FB_FREE'))),
    },
    { field: 'memoryReservedMiB', query: aggregate('avg', KEY_LABELS, of('DCGM_FI_DEV_FB_RESERVED')) },
    { field: 'powerLimitWatts', query: aggregate('avg', KEY_LABELS, of('DCGM_FI_DEV_POWER_MGMT_LIMIT')) },
  ];
}

/**
 * Folds the constant answers by device key; what the reading-quality classifier refuses (NaN, blank sentinels,
 * impossible values) is left out, and so is a capacity or limit of 0.
 */
export function foldConstants(
  answers: readonly { field: ConstantField; samples: readonly PromSample[] }[],
): Map<string, DeviceConstants> {
  const byKey = new Map<string, { -readonly [K in ConstantField]?: number }>();
  for (const { field, samples } of answers) {
    for (const { labels, value } of samples) {
      if (!classifyReading(READING_OF[field], value).ok) continue;
      if (value === 0 && field !== 'memoryReservedMiB') continue;
      const key = dcgmKeyOf(labels);
      let entry = byKey.get(key);
      if (!entry) byKey.set(key, (entry = {}));
      entry[field] = value;
    }
  }
  return byKey;
}

export interface ConstantsEntry {
  readonly fetchedAtMs: number;
  readonly values: ReadonlyMap<string, DeviceConstants>;
  /** Devices the fetch answered for, with or without values: a device outside it is new and forces a fetch. */
  readonly covered: ReadonlySet<string>;
}

/**
 * Device constants per cluster, re-read every `ttlSeconds` (0: every read) instead of being averaged over the window
 * on every cycle: three fewer range queries per cycle, a third of Prometheus' work on a 10k-GPU fleet. A changed power
 * cap is therefore seen within `ttlSeconds`; a device the cache has not seen is read at once.
 */
export class DeviceConstantsCache {
  private readonly entries = new Map<string, ConstantsEntry>();

  constructor(
    private readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The cached constants when still fresh, else undefined (the caller fetches). */
  fresh(cluster: string): ConstantsEntry | undefined {
    const entry = this.entries.get(cluster);
    if (!entry || this.now() - entry.fetchedAtMs >= this.ttlSeconds * 1000) return undefined;
    return entry;
  }

  /** True when every device key is known to the entry. */
  static covers(entry: ConstantsEntry, keys: Iterable<string>): boolean {
    for (const key of keys) if (!entry.covered.has(key)) return false;
    return true;
  }

  store(
    cluster: string,
    values: ReadonlyMap<string, DeviceConstants>,
    devices: Iterable<string>,
    fetchedAtMs: number,
  ): ConstantsEntry {
    // A device without a plausible capacity stays uncovered, so the next read asks again rather than keep nothing.
    const covered = new Set([...devices].filter((key) => values.get(key)?.memoryUsableMiB !== undefined));
    const entry = { fetchedAtMs, values, covered };
    this.entries.set(cluster, entry);
    return entry;
  }
}
