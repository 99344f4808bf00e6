/** The score inputs the analyzer suites read, nullable as the schema gives them (GpuScoreInputs). */
export interface GpuScoreInputs {
  readonly utilizationPercent: number | null;
  readonly memoryCopyUtilizationPercent: number | null;
  readonly memoryUsedPercent: number | null;
  readonly powerPercent: number | null;
}

/** The GpuScore fields the analyzer suites read over GraphQL, typed as the schema gives them; each suite picks some. */
export interface GpuScoreFields {
  readonly uuid: string;
  readonly migInstanceId: string | null;
  readonly cluster: string;
  readonly namespace: string | null;
  readonly score: number | null;
  readonly status: string;
  readonly reason: string | null;
  readonly activityState: string;
  readonly computedAt: string;
  readonly inputs: GpuScoreInputs;
}

/** A GpuScore with identity, tenant, score and its inputs. */
export type GpuScoreNode = Pick<
  GpuScoreFields,
  'uuid' | 'cluster' | 'namespace' | 'score' | 'status' | 'reason' | 'computedAt' | 'inputs'
>;
