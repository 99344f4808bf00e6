/** Which adapter serves every capability: Prometheus clusters, or the simulated fleet in-process (DATA_SOURCE). */
export type DataSourceKind = 'prometheus' | 'simulated';
