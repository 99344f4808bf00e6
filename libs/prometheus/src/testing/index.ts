// Test-only entry (`@kcloud/prometheus/testing`): a scripted Prometheus HTTP API and a PromQL parser for the specs
// of libraries that query Prometheus. Production code never imports it (the architecture lint rule checks).
export * from './fake-prometheus';
export * from './promql-parse';
