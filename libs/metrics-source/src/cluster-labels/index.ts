// The cluster-labels capability (PROMETHEUS_CLUSTERS labels → cluster names): port, token, adapters, fake.
// Registered by MetricsSourceModule.
export {
  carriesLabels,
  CLUSTER_LABELS,
  type ClusterLabels,
  type LabelMatch,
  selectClusters,
} from './cluster-labels.port';
export { ClusterLabelResolution } from './cluster-label-resolution';
export { RegistryClusterLabels } from './cluster-labels.prometheus';
export { SimulatedClusterLabels } from './cluster-labels.simulated';
export { FakeClusterLabels } from './testing/fake-cluster-labels';
