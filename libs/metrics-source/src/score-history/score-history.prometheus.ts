import { type ClusterFailure, ErrorCode } from '@kcloud/common';
import { type ClusterRegistry, oneOf, selector } from '@kcloud/prometheus';
import type { SeriesRange } from '../gpu-series/gpu-series.port';
import { SCORE_SERIES, scoresByKey } from './score-history-join';
import type { ScoreHistory, ScoreHistoryFilter, ScoreHistorySource } from './score-history.port';

/**
 * Reads the analyzer's exported scores. `historyPrometheus` (ANALYZER_HISTORY_PROMETHEUS) names the configured
 * cluster whose Prometheus scrapes the API's own /metrics: one range query there for all GPUs. Unset, each GPU's
 * cluster's Prometheus is asked, with `cluster` matched, and clusters behind one Prometheus URL (global-view mode,
 * CLUSTER_LABEL) are one range query — so a read costs one query per Prometheus, for all its GPUs.
 */
export class PrometheusScoreHistory implements ScoreHistorySource {
  constructor(
    private readonly registry: ClusterRegistry,
    private readonly historyPrometheus?: string,
  ) {}

  async scoreHistory(filter: ScoreHistoryFilter, range: SeriesRange): Promise<ScoreHistory> {
    const target = this.historyPrometheus;
    const known = filter.clusters.filter((n) => this.registry.has(n));
    if (target !== undefined && !this.registry.has(target))
      return { byKey: new Map(), failures: [unknownTarget(target)] };
    const byUrl = new Map<string, string[]>();
    for (const c of known) {
      const url = target === undefined ? this.registry.config(c).url : '';
      byUrl.set(url, [...(byUrl.get(url) ?? []), c]);
    }
    // With a target, the one group is read there (fanOut runs on the target's client, the query names the group).
    const groups = [...byUrl.values()].map((g) => (target === undefined ? g : [target, ...g]));
    const { results, failures } = await this.registry.fanOut(
      groups.map((g) => g[0] ?? ''),
      (client, cluster) => {
        const group = groups.find((g) => g[0] === cluster.name) ?? [cluster.name];
        const query = selector(SCORE_SERIES, [
          oneOf('cluster', target === undefined ? group : group.slice(1)),
          oneOf('gpu_id', filter.gpuIds),
          ...(filter.namespaces?.length ? [oneOf('namespace', filter.namespaces)] : []),
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
