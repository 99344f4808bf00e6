// The cAdvisor capability (container CPU and memory): port, token, adapters, fake. Registered by MetricsSourceModule.
export {
  CONTAINER_USAGE_SOURCE,
  type ContainerUsageFilter,
  type ContainerUsageSample,
  type ContainerUsageSource,
} from './container-usage.port';
export { PrometheusContainerUsage, joinContainerUsage } from './container-usage.prometheus';
export { SimulatedContainerUsage } from './container-usage.simulated';
export { FakeContainerUsage } from './testing/fake-container-usage';
