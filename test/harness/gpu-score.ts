/** The score inputs the analyzer suites read, nullable as the schema gives them (GpuScoreInputs). */
export interface GpuScoreInputs {
  readonly utilizationPercent: number | null;
  readonly memoryCopyUtilizationPercent: number | null;
  readonly memoryUsedPercent: number | null;
  readonly powerPercent: number | null;
}

/** A GpuScore as the analyzer suites read it over GraphQL: identity, tenant, score and its inputs. */
export interface GpuScoreNode {
  readonly uuid: string;
  readonly cluster: string;
  readonly namespace: string | null;
  readonly score: number | null;
  readonly status: string;
  readonly reason: string | null;
  readonly computedAt: string;
  readonly inputs: GpuScoreInputs;
}
