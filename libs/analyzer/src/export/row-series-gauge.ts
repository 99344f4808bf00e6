import { register, type Registry } from 'prom-client';

/** One sample of a gauge: its labels (in exposition order) and value. */
export interface GaugeSample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/**
 * A gauge whose samples are generated from the current results each time the registry is scraped, instead of being
 * kept in a prom-client label map. At 50,000 GPUs the six score gauges and the activity gauge held 350,000 labelled
 * series (their label objects and hash strings, ~1.6 KB per GPU) and a scrape rebuilt them all (`set` hashing every
 * label set) before formatting; here nothing per series outlives the scrape. prom-client's registry still writes the
 * text (it calls `getForPromString`, or `get`, on every registered metric), so HELP/TYPE lines, label escaping and
 * number formatting are prom-client's own, byte for byte.
 */
export class RowSeriesGauge {
  readonly type = 'gauge' as const;
  readonly aggregator = 'sum' as const;

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly samples: () => Iterable<GaugeSample>,
  ) {}

  /** What prom-client's Gauge#get answers: every sample as an array (getMetricsAsJSON, tests). */
  async get(): Promise<{
    name: string;
    help: string;
    type: 'gauge';
    aggregator: 'sum';
    values: GaugeSample[];
  }> {
    return { ...this.describe(), values: [...this.samples()] };
  }

  /** The registry's text path: the samples as an iterable, formatted one at a time (no whole-fleet array). */
  async getForPromString(): Promise<{
    name: string;
    help: string;
    type: 'gauge';
    aggregator: 'sum';
    values: Iterable<GaugeSample>;
  }> {
    return { ...this.describe(), values: this.samples() };
  }

  /** Nothing to reset: the samples are the current results' (Registry#resetMetrics calls it). */
  reset(): void {}

  private describe() {
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator };
  }
}

/**
 * Registers `metric` in `registry` (prom-client's default one unless given), replacing a metric of that name an
 * earlier app in the same process registered: /metrics always reads the live app's results.
 */
export function registerReplacing(metric: RowSeriesGauge, registry: Registry = register): void {
  registry.removeSingleMetric(metric.name);
  registry.registerMetric(metric as never);
}

/** One holder of a device as its series label it (absent: the device is not allocated). */
export interface Holder {
  readonly namespace?: string;
  readonly pod?: string;
}

/**
 * The samples of devices, one per pod holding the device (none holding it: one sample, no pod), as the attributed
 * rows (`attribute`) are exported — without making those rows: a scrape at 50,000 GPUs made 50,000 copies of every
 * result. One per distinct label set: two holders with the same labels (two containers of one pod on a time-sliced
 * GPU) give one series, as a label map keeps one. `value` undefined: the device exports no sample (an UNKNOWN GPU has
 * no score).
 */
export function* deviceSamples<R extends { readonly tenants: readonly Holder[] }>(
  devices: Iterable<R>,
  labels: (device: R, holder: Holder) => Record<string, string>,
  value: (device: R) => number | undefined,
): Generator<GaugeSample> {
  const seen: string[] = [];
  const none: Holder = {};
  for (const d of devices) {
    const v = value(d);
    if (v === undefined) continue;
    if (d.tenants.length === 0) {
      yield { labels: labels(d, none), value: v };
      continue;
    }
    seen.length = 0;
    for (const holder of d.tenants) {
      const l = labels(d, holder);
      const id = Object.values(l).join('\u0000');
      if (seen.includes(id)) continue;
      seen.push(id);
      yield { labels: l, value: v };
    }
  }
}
