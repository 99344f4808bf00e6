import { Injectable } from '@nestjs/common';
import type { ClusterFailure } from '@kcloud/common';
import { ClusterRegistry, oneOf, selector } from '@kcloud/prometheus';
import type { HistoryRange } from './history-range';
import { SCORE_SERIES, type ScoreAtStep, scoresByKey } from './gpu-score-history';

export interface ScoreRead {
  readonly byKey: ReadonlyMap<string, ReadonlyMap<number, ScoreAtStep>>;
  readonly failures: readonly ClusterFailure[];
}

/**
 * Reads the analyzer's exported scores for `Gpu.history`. Where the API's own series live is not configured: each
 * GPU's cluster's Prometheus is asked, with `cluster` matched, and clusters behind one Prometheus URL (global-view
 * mode, CLUSTER_LABEL) are one range query — so a request costs one extra query per Prometheus, for all its GPUs.
 */
@Injectable()
export class GpuScoreReader {
  constructor(private readonly registry: ClusterRegistry) {}

  async read(
    clusters: readonly string[],
    keys: readonly string[],
    namespaces: readonly string[] | undefined,
    range: HistoryRange,
  ): Promise<ScoreRead> {
    const byUrl = new Map<string, string[]>();
    for (const c of clusters.filter((n) => this.registry.has(n))) {
      const url = this.registry.config(c).url;
      byUrl.set(url, [...(byUrl.get(url) ?? []), c]);
    }
    const groups = [...byUrl.values()];
    const { results, failures } = await this.registry.fanOut(
      groups.map((g) => g[0]),
      (client, cluster) => {
        const group = groups.find((g) => g[0] === cluster.name) ?? [cluster.name];
        const query = selector(SCORE_SERIES, [
          oneOf('cluster', group),
          oneOf('gpu_id', keys),
          // Per step: a namespace-scoped key sees a GPU's points only while its pod was in one of its namespaces.
          ...(namespaces?.length ? [oneOf('namespace', namespaces)] : []),
        ]);
        return client.range(query, { start: range.from, end: range.to, stepSeconds: range.stepSeconds });
      },
    );
    return { byKey: scoresByKey(results.flatMap((r) => r.value)), failures };
  }
}
