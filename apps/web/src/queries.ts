// The GraphQL documents the page sends (schema.graphql at the repository root is the contract).

const SCORE_FIELDS = `id gpuId uuid cluster node namespace pod migInstanceId migProfile model status score reason
  powerWatts memoryUsedMiB statusSince stale
  inputs { utilizationPercent memoryCopyUtilizationPercent memoryUsedPercent powerPercent }`;

export const SCORES_PAGE = `query FleetScores($after: String) {
  gpuScores(first: 1000, after: $after, orderBy: DEVICE) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { ${SCORE_FIELDS} } }
  }
}`;

export const NPUS_PAGE = `query FleetNpus($after: String) {
  npus(first: 1000, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { uuid cluster node model vendor namespace pod utilizationPercent powerWatts healthy } }
  }
}`;

export const HEADLINE = `query Headline {
  gpuScoreStats { total idleCount lowUtilizationCount }
  power { totalWatts }
  clusters { name }
}`;

export const PUE = `query Pue($cluster: String!) { pue(cluster: $cluster) { cluster value reason } }`;

export const GPU_DETAIL = `query GpuDetail($uuid: ID!, $range: TimeRangeInput!) {
  gpu(uuid: $uuid) {
    temperatureCelsius memoryTotalMiB driverVersion
    dataQuality { status reason }
    health { status reasons }
    history(range: $range, metrics: [UTILIZATION_PERCENT, MEMORY_USED_MIB, POWER_WATTS]) {
      timestamp utilizationPercent memoryUsedMiB powerWatts
    }
  }
}`;

export const EXPORT_URL = `query ExportUrl($dataset: ExportDataset!, $format: ExportFormat!, $filter: ExportFilterInput) {
  exportUrl(dataset: $dataset, format: $format, filter: $filter)
}`;

export const SCORE_CHANGED = `subscription ScoreChanged { gpuScoreChanged { kind gpu { ${SCORE_FIELDS} } } }`;

export const POWER_UPDATED = `subscription PowerUpdated {
  powerUpdated(groupBy: CLUSTER, intervalSeconds: 5) { totalWatts observedAt unavailableClusters }
}`;
