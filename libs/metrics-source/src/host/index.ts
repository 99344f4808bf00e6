// The host capability (node_exporter): port, token, adapters, fake. Registered by MetricsSourceModule.
export {
  HOST_SOURCE,
  memoryUtilizationPercentOf,
  rootFilesystemUsedPercentOf,
  type HostCpuCoreSample,
  type HostFilter,
  type HostSample,
  type HostSource,
} from './host.port';
export { PrometheusHosts, joinHosts } from './host.prometheus';
export { SimulatedHosts } from './host.simulated';
export { FakeHosts } from './testing/fake-hosts';
export { HOST_SERIES_SOURCE, type HostSeriesPoint, type HostSeriesSource } from './host-series.port';
export { PrometheusHostSeries, joinHostSeries } from './host-series.prometheus';
export { SimulatedHostSeries } from './host-series.simulated';
