// The GraphQL documents the page sends (schema.graphql at the repository root is the contract).

// The grid reads 10,000 rows: only what tiles, filters and the summaries need (about half the bytes and server time
// of the full row). The panel reads the rest for one GPU; live events carry everything.
const GRID_FIELDS = `id gpuId uuid cluster node namespace pod migInstanceId migProfile model status score powerWatts`;
const DETAIL_FIELDS = `reason memoryUsedMiB statusSince stale
  inputs { utilizationPercent memoryCopyUtilizationPercent memoryUsedPercent powerPercent }`;

export const SCORES_PAGE = `query FleetScores($after: String) {
  gpuScores(first: 1000, after: $after, orderBy: DEVICE) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { ${GRID_FIELDS} } }
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
    score { ${DETAIL_FIELDS} }
    history(range: $range, metrics: [UTILIZATION_PERCENT, MEMORY_USED_MIB, POWER_WATTS]) {
      timestamp utilizationPercent memoryUsedMiB powerWatts
    }
  }
}`;

export const EXPORT_URL = `query ExportUrl($dataset: ExportDataset!, $format: ExportFormat!, $filter: ExportFilterInput) {
  exportUrl(dataset: $dataset, format: $format, filter: $filter)
}`;

export const SCORE_CHANGED = `subscription ScoreChanged { gpuScoreChanged { kind gpu { ${GRID_FIELDS} ${DETAIL_FIELDS} } } }`;

export const POWER_UPDATED = `subscription PowerUpdated {
  powerUpdated(groupBy: CLUSTER, intervalSeconds: 5) { totalWatts observedAt unavailableClusters }
}`;
