import { IntEnv, OneOfEnv, StringEnv } from './env-decorators';

/** Where the data comes from: Prometheus or the simulated fleet (the embedded default outside production). */
export class DataSourceEnv {
  /**
   * Where the data comes from: `prometheus` (needs PROMETHEUS_URL or PROMETHEUS_CLUSTERS) or `simulated` (the demo
   * fleet, never mixed with a configured Prometheus). Unset: Prometheus when one is configured, else the simulated
   * fleet, except with NODE_ENV=production, which refuses to start rather than serve invented data unless the
   * simulator is asked for (DATA_SOURCE=simulated or SIM_SCENARIO).
   */
  @OneOfEnv(['prometheus', 'simulated']) DATA_SOURCE?: 'prometheus' | 'simulated';

  @StringEnv({ optional: true }) SIM_SCENARIO?: string;

  @IntEnv({ optional: true }) SIM_SEED?: number;
}
