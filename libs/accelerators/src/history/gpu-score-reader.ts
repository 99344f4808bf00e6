import { Inject, Injectable } from '@nestjs/common';
import { AppConfig, type ClusterFailure, ErrorCode } from '@kcloud/common';
import { ClusterRegistry, oneOf, selector } from '@kcloud/prometheus';
import type { HistoryRange } from './history-range';
import { SCORE_SERIES, type ScoreAtStep, scoresByKey } from './gpu-score-history';

export interface ScoreRead {
  readonly byKey: ReadonlyMap<string, ReadonlyMap<number, ScoreAtStep>>;
  readonly failures: readonly ClusterFailure[];
}

/**
 * Reads the analyzer's exported scores for `Gpu.history`. ANALYZER_HISTORY_PROMETHEUS names the configured cluster
 * whose Prometheus scrapes the API's own /metrics: one range query there for all GPUs. Unset, each GPU's cluster's
 * Prometheus is asked, with `cluster` matched, and clusters behind one Prometheus URL (global-view mode,
 * CLUSTER_LABEL) are one range query — so a request costs one extra query per Prometheus, for all its GPUs.
 */
@Injectable()
export class GpuScoreReader {
  private readonly target: string | undefined;

  constructor(
    private readonly registry: ClusterRegistry,
    @Inject(AppConfig) config?: Pick<AppConfig, 'analyzer'>,
  ) {
    this.target = config?.analyzer.historyPrometheus;
  }

  async read(
    clusters: readonly string[],
    keys: readonly string[],
    namespaces: readonly string[] | undefined,
    range: HistoryRange,
  ): Promise<ScoreRead> {
    const known = clusters.filter((n) => this.registry.has(n));
    if (this.target !== undefined && !this.registry.has(this.target))
      return { byKey: new Map(), failures: [unknownTarget(this.target)] };
    const byUrl = new Map<string, string[]>();
    for (const c of known) {
      const url = this.target === undefined ? this.registry.config(c).url : '';
      byUrl.set(url, [...(byUrl.get(url) ?? []), c]);
    }
    // With a target, the one group is read there (fanOut runs on the target's client, the query names the group).
    const groups = [...byUrl.values()].map((g) => (this.target === undefined ? g : [this.target, ...g]));
    const { results, failures } = await this.registry.fanOut(
      groups.map((g) => g[0]),
      (client, cluster) => {
        const group = groups.find((g) => g[0] === cluster.name) ?? [cluster.name];
        const query = selector(SCORE_SERIES, [
          oneOf('cluster', this.target === undefined ? group : group.slice(1)),
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

function unknownTarget(name: string): ClusterFailure {
  return {
    cluster: name,
    code: ErrorCode.CLUSTER_UNAVAILABLE,
    message: `ANALYZER_HISTORY_PROMETHEUS names '${name}', which is not a configured cluster: no score history`,
  };
}
