import { IntEnv, NumberEnv } from './env-decorators';

/** Health probes, circuit breakers and the shutdown grace. */
export class ResilienceEnv {
  /** How often the background prober probes every cluster; readiness answers from its last results. */
  @IntEnv({ min: 1, max: 3600 }) HEALTH_PROBE_INTERVAL_SECONDS = 10;

  /** Budget of one cluster probe (and of the first probe round before the API reports started). */
  @IntEnv({ min: 50, max: 60_000 }) HEALTH_PROBE_TIMEOUT_MS = 2000;

  /** Consecutive failures of a cluster (unreachable, 5xx after retries, timeout) that open its circuit. */
  @IntEnv({ min: 1, max: 1000 }) CIRCUIT_BREAKER_CONSECUTIVE_FAILURES = 5;

  /** Share of failed requests among the last CIRCUIT_BREAKER_WINDOW_REQUESTS that opens the circuit (0.01–0.99). */
  @NumberEnv({ min: 0.01, max: 0.99 }) CIRCUIT_BREAKER_FAILURE_RATIO = 0.5;

  @IntEnv({ min: 2, max: 10_000 }) CIRCUIT_BREAKER_WINDOW_REQUESTS = 20;

  /** How long an open circuit refuses at once before a probe may test the cluster again. */
  @IntEnv({ min: 1, max: 3600 }) CIRCUIT_BREAKER_HALF_OPEN_AFTER_SECONDS = 30;

  /**
   * On SIGTERM: readiness turns false at once, in-flight requests and exports get this long to finish, then the
   * process closes what is left. Keep it below the pod's terminationGracePeriodSeconds (30 by default).
   */
  @IntEnv({ min: 0, max: 3600 }) SHUTDOWN_GRACE_SECONDS = 25;
}
