import {
  BrokenCircuitError,
  circuitBreaker,
  type CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  CountBreaker,
  handleWhen,
  type IBreaker,
} from 'cockatiel';
import type { EnvSchema } from '@kcloud/common';
import { PrometheusCircuitOpenError } from './prometheus-errors';

export type CircuitStateName = 'CLOSED' | 'OPEN' | 'HALF_OPEN';

export interface CircuitSettings {
  /** Consecutive cluster failures that open the circuit. */
  readonly consecutiveFailures: number;
  /** Share of failed requests among the last `windowRequests` that opens it (0 < ratio < 1). */
  readonly failureRatio: number;
  readonly windowRequests: number;
  /** How long an open circuit refuses before one probe may test the cluster again. */
  readonly halfOpenAfterMs: number;
}

/** The CIRCUIT_BREAKER_* variables. */
export function circuitSettingsOf(env: Readonly<EnvSchema>): CircuitSettings {
  return {
    consecutiveFailures: env.CIRCUIT_BREAKER_CONSECUTIVE_FAILURES,
    failureRatio: env.CIRCUIT_BREAKER_FAILURE_RATIO,
    windowRequests: env.CIRCUIT_BREAKER_WINDOW_REQUESTS,
    halfOpenAfterMs: env.CIRCUIT_BREAKER_HALF_OPEN_AFTER_SECONDS * 1000,
  };
}

export const DEFAULT_CIRCUIT: CircuitSettings = {
  consecutiveFailures: 5,
  failureRatio: 0.5,
  windowRequests: 20,
  halfOpenAfterMs: 30_000,
};

/**
 * One cluster's circuit breaker (cockatiel). Only failures that say something about the cluster itself count (the
 * predicate given); a rejected query, an oversize answer or a cancelled caller pass through uncounted.
 *
 * Requests never wait on a half-open test (cockatiel would queue them behind it): while the circuit is not closed
 * they fail at once. With a background prober (`probedInBackground`), only the prober's probe may test an open
 * circuit, so no caller ever pays a hung cluster's timeout again; without one, the first request after the cooldown
 * is the test, as in plain cockatiel.
 */
export class ClusterCircuit {
  private readonly policy: CircuitBreakerPolicy;
  /** Set by the prober that keeps cluster health fresh. */
  probedInBackground = false;

  constructor(
    private readonly cluster: string,
    settings: CircuitSettings,
    countsAgainstCluster: (error: Error) => boolean,
    onChange?: (state: CircuitStateName) => void,
  ) {
    this.policy = circuitBreaker(handleWhen(countsAgainstCluster), {
      halfOpenAfter: settings.halfOpenAfterMs,
      breaker: new EitherBreaker(
        new ConsecutiveBreaker(settings.consecutiveFailures),
        new CountBreaker({ threshold: settings.failureRatio, size: settings.windowRequests }),
      ),
    });
    if (onChange) this.policy.onStateChange((s) => onChange(stateName(s)));
  }

  get state(): CircuitStateName {
    return stateName(this.policy.state);
  }

  /** A caller's request: fails fast with CLUSTER_UNAVAILABLE unless the circuit is closed (or, unprobed, cooled). */
  async run<T>(work: () => Promise<T>): Promise<T> {
    const state = this.policy.state;
    if (state === CircuitState.HalfOpen || (state === CircuitState.Open && this.probedInBackground))
      throw this.openError();
    return this.execute(work);
  }

  /** A health probe: counts like a request, and is the one that tests an open circuit once it has cooled down. */
  async probe<T>(work: () => Promise<T>): Promise<T> {
    if (this.policy.state === CircuitState.HalfOpen) throw this.openError();
    return this.execute(work);
  }

  private async execute<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await this.policy.execute(work);
    } catch (e) {
      if (e instanceof BrokenCircuitError) throw this.openError();
      throw e;
    }
  }

  private openError(): PrometheusCircuitOpenError {
    return new PrometheusCircuitOpenError(this.cluster);
  }
}

function stateName(state: CircuitState): CircuitStateName {
  switch (state) {
    case CircuitState.Closed:
      return 'CLOSED';
    case CircuitState.HalfOpen:
      return 'HALF_OPEN';
    case CircuitState.Open:
    case CircuitState.Isolated:
      return 'OPEN';
  }
}

/** Opens when either breaker would: N consecutive failures, or too high a failure ratio over the last requests. */
class EitherBreaker implements IBreaker {
  constructor(
    private readonly consecutive: IBreaker,
    private readonly ratio: IBreaker,
  ) {}

  get state(): unknown {
    return [this.consecutive.state, this.ratio.state];
  }

  set state(value: unknown) {
    const [consecutive, ratio] = value as [unknown, unknown];
    this.consecutive.state = consecutive;
    this.ratio.state = ratio;
  }

  success(state: CircuitState): void {
    this.consecutive.success(state);
    this.ratio.success(state);
  }

  failure(state: CircuitState): boolean {
    // Both must see every failure: no short-circuit.
    const a = this.consecutive.failure(state);
    const b = this.ratio.failure(state);
    return a || b;
  }
}
