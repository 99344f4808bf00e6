/**
 * Watches the batches an export pulls from a GPU series source, in the running app: how many were read, and whether
 * the read was released (the generator's `finally` ran). `restore()` puts the source's own method back.
 */
export interface SeriesReads {
  readonly pulled: number;
  readonly closed: boolean;
  restore(): void;
}

export function watchSeriesReads<A extends unknown[], T>(source: {
  gpuMetricSeries: (...args: A) => AsyncIterable<T>;
}): SeriesReads {
  const original = source.gpuMetricSeries;
  const reads = {
    pulled: 0,
    closed: false,
    restore: () => {
      source.gpuMetricSeries = original;
    },
  };
  source.gpuMetricSeries = (...args: A) =>
    (async function* () {
      try {
        for await (const batch of original.apply(source, args)) {
          reads.pulled++;
          yield batch;
        }
      } finally {
        reads.closed = true;
      }
    })();
  return reads;
}
