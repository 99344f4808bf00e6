import type { GpuScoreFields } from './gpu-score';
import { gql } from './graphql-client';

/** One gpuScores row, with the fields the analyzer suites assert on. */
export type GpuScoreRow = Pick<
  GpuScoreFields,
  'uuid' | 'migInstanceId' | 'score' | 'status' | 'reason' | 'activityState'
>;

/**
 * Every gpuScores row the API lists now (one page of 1,000) and, from the same request, the gpuScoreStats fields
 * named by the caller; fails on any GraphQL error.
 */
export async function gpuScoreRowsAndStats<S>(
  url: string,
  statsFields = 'total',
): Promise<{ rows: GpuScoreRow[]; stats: S }> {
  const res = await gql<{ gpuScores: { edges: { node: GpuScoreRow }[] }; gpuScoreStats: S }>(
    url,
    `{ gpuScores(first: 1000) { edges { node { uuid migInstanceId score status reason activityState } } }
       gpuScoreStats { ${statsFields} } }`,
  );
  if (res.errors) throw new Error(`gpuScores failed: ${JSON.stringify(res.errors)}`);
  return { rows: res.data!.gpuScores.edges.map((e) => e.node), stats: res.data!.gpuScoreStats };
}

export const gpuScoreRows = async (url: string): Promise<GpuScoreRow[]> =>
  (await gpuScoreRowsAndStats(url)).rows;
