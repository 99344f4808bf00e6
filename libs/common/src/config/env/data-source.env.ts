import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString } from 'class-validator';

/** Where the data comes from: Prometheus or the simulated fleet (the embedded default outside production). */
export class DataSourceEnv {
  /**
   * Where the data comes from: `prometheus` (needs PROMETHEUS_URL or PROMETHEUS_CLUSTERS) or `simulated` (the demo
   * fleet, never mixed with a configured Prometheus). Unset: Prometheus when one is configured, else the simulated
   * fleet, except with NODE_ENV=production, which refuses to start rather than serve invented data unless the
   * simulator is asked for (DATA_SOURCE=simulated or SIM_SCENARIO).
   */
  @IsOptional()
  @IsIn(['prometheus', 'simulated'])
  DATA_SOURCE?: 'prometheus' | 'simulated';

  @IsOptional()
  @IsString()
  SIM_SCENARIO?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  SIM_SEED?: number;
}
