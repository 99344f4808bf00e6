// Types for the SDK's subpath exports: tsconfig's classic node resolution ignores package "exports", so each
// subpath is pointed at its declarations (Node and Jest resolve the runtime modules through "exports" as usual).
declare module '@grafana/grafana-foundation-sdk/bargauge' {
  export * from '@grafana/grafana-foundation-sdk/dist/bargauge/index';
}
declare module '@grafana/grafana-foundation-sdk/cog' {
  export * from '@grafana/grafana-foundation-sdk/dist/cog/index';
}
declare module '@grafana/grafana-foundation-sdk/common' {
  export * from '@grafana/grafana-foundation-sdk/dist/common/index';
}
declare module '@grafana/grafana-foundation-sdk/dashboard' {
  export * from '@grafana/grafana-foundation-sdk/dist/dashboard/index';
}
declare module '@grafana/grafana-foundation-sdk/histogram' {
  export * from '@grafana/grafana-foundation-sdk/dist/histogram/index';
}
declare module '@grafana/grafana-foundation-sdk/prometheus' {
  export * from '@grafana/grafana-foundation-sdk/dist/prometheus/index';
}
declare module '@grafana/grafana-foundation-sdk/stat' {
  export * from '@grafana/grafana-foundation-sdk/dist/stat/index';
}
declare module '@grafana/grafana-foundation-sdk/table' {
  export * from '@grafana/grafana-foundation-sdk/dist/table/index';
}
declare module '@grafana/grafana-foundation-sdk/timeseries' {
  export * from '@grafana/grafana-foundation-sdk/dist/timeseries/index';
}
