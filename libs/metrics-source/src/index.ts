export * from './metric-source.port';
export * from './metrics-source.module';
export * from './device-filter';
export { PrometheusSource } from './prometheus/prometheus.source';
export { SimulatedSource } from './simulated/simulated.source';
