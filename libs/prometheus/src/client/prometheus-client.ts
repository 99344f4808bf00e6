import * as http from 'node:http';
import * as https from 'node:https';
import axios, { type AxiosInstance, type AxiosRequestConfig, isAxiosError } from 'axios';
import { ExponentialBackoff, handleWhen, retry, type RetryPolicy } from 'cockatiel';
import { badInput, currentUpstreamSignal } from '@kcloud/common';
import { assertLabelName, type Matcher } from '../promql/matchers';
import { fn, num, type PromQL, seriesSelector } from '../promql/expr';
import { unwrapEnvelope } from './api-envelope';
import {
  decodeInstant,
  decodeRange,
  decodeStrings,
  type InstantSample,
  MalformedResponse,
  type RangeSeries,
} from './api-response';
import { authConfig, authHeaders } from './cluster-auth';
import {
  DEFAULT_MAX_RESPONSE_BYTES,
  type InstantOptions,
  MAX_POINTS_PER_SERIES,
  type PrometheusClientOptions,
  type PrometheusEndpoint,
  type RangeOptions,
} from './prometheus-client-options';
import {
  PrometheusCancelledError,
  PrometheusQueryError,
  PrometheusResponseTooLargeError,
  PrometheusTimeoutError,
  PrometheusUnavailableError,
} from './prometheus-errors';
import { isRetryable, mark } from './retryable';

export {
  DEFAULT_MAX_RESPONSE_BYTES,
  type InstantOptions,
  MAX_POINTS_PER_SERIES,
  type PrometheusClientOptions,
  type PrometheusEndpoint,
  type PrometheusRequestEvent,
  type RangeOptions,
} from './prometheus-client-options';

const DEFAULT_BACKOFF = { initialDelayMs: 100, maxDelayMs: 2_000 };

/**
 * The Prometheus HTTP API of one cluster (Prometheus, Thanos Query, Mimir, VictoriaMetrics). Queries are POSTed
 * form-encoded so long selectors never hit URL limits; sockets are kept alive between requests.
 */
export class PrometheusClient {
  readonly cluster: string;
  private readonly http: AxiosInstance;
  private readonly agents: readonly (http.Agent | https.Agent)[];
  private readonly timeoutMs: number;
  private readonly policy: RetryPolicy;
  private readonly maxResponseBytes: number;

  constructor(private readonly options: PrometheusClientOptions) {
    const { cluster } = options;
    this.cluster = cluster.name;
    this.timeoutMs = cluster.timeoutMs ?? options.timeoutMs;
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    const lookup = options.lookup ? { lookup: options.lookup } : {};
    const httpAgent = new http.Agent({ keepAlive: true, maxSockets: 32, ...lookup });
    const httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 32, ...lookup });
    this.agents = [httpAgent, httpsAgent];
    this.http = axios.create({
      baseURL: cluster.url.endsWith('/') ? cluster.url : `${cluster.url}/`,
      httpAgent,
      httpsAgent,
      // In-cluster endpoints; an ambient HTTP(S)_PROXY must not silently reroute them.
      proxy: false,
      // A redirect would carry the cluster's credentials to another URL; a 3xx is reported, never followed.
      maxRedirects: 0,
      // Counted on the decompressed stream, so neither a huge matrix nor a gzip bomb is ever buffered whole.
      maxContentLength: this.maxResponseBytes,
      // We classify every status ourselves and parse the body ourselves (proxies answer 502s in HTML).
      validateStatus: () => true,
      responseType: 'text',
      transformResponse: (body: unknown) => body,
      ...authConfig(cluster),
      headers: {
        // axios asks for gzip by default; on a 10k-GPU answer that costs Prometheus and us more CPU than the transfer.
        'Accept-Encoding': (cluster.compression ?? options.compression) ? 'gzip' : 'identity',
        ...authHeaders(cluster),
      },
    });
    const backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.policy = retry(handleWhen(isRetryable), {
      maxAttempts: options.retries,
      backoff: new ExponentialBackoff({
        initialDelay: backoff.initialDelayMs,
        maxDelay: backoff.maxDelayMs,
      }),
    });
  }

  async instant(query: PromQL, opts: InstantOptions = {}): Promise<InstantSample[]> {
    const timeoutMs = opts.timeoutMs ?? this.timeoutMs;
    const form = new URLSearchParams({ query, timeout: `${timeoutMs}ms` });
    if (opts.time) form.set('time', unixSeconds(opts.time));
    const data = await this.request('query', query, timeoutMs, {
      method: 'POST',
      url: 'api/v1/query',
      data: form,
    });
    return this.decode(decodeInstant, data);
  }

  async range(query: PromQL, opts: RangeOptions): Promise<RangeSeries[]> {
    const { start, end, stepSeconds } = opts;
    if (!(stepSeconds > 0) || !Number.isFinite(stepSeconds))
      throw badInput('stepSeconds', 'step must be a positive number of seconds');
    if (end.getTime() < start.getTime())
      throw badInput('to', 'the end of a range must not be before its start');
    if ((end.getTime() - start.getTime()) / 1000 / stepSeconds > MAX_POINTS_PER_SERIES) {
      throw badInput(
        'stepSeconds',
        `range / step exceeds ${MAX_POINTS_PER_SERIES} points; use a larger step`,
      );
    }
    const timeoutMs = opts.timeoutMs ?? this.timeoutMs;
    const form = new URLSearchParams({
      query,
      start: unixSeconds(start),
      end: unixSeconds(end),
      step: String(stepSeconds),
      timeout: `${timeoutMs}ms`,
    });
    const data = await this.request('query_range', query, timeoutMs, {
      method: 'POST',
      url: 'api/v1/query_range',
      data: form,
    });
    return this.decode(decodeRange, data);
  }

  /** Values of one label, optionally only on series matching `matchers`. */
  async labelValues(label: string, matchers: readonly Matcher[] = []): Promise<string[]> {
    const match = matchers.length ? seriesSelector(matchers) : undefined;
    const params = match ? new URLSearchParams({ 'match[]': match }) : undefined;
    // The label name is a path segment; validated as [a-zA-Z_][a-zA-Z0-9_]* before it gets there.
    const url = `api/v1/label/${encodeURIComponent(assertLabelName(label))}/values`;
    const data = await this.request('labels', match, this.timeoutMs, { method: 'GET', url, params });
    return this.decode(decodeStrings, data);
  }

  /**
   * Milliseconds a readiness probe took. `/-/ready` first (Prometheus, Thanos, VictoriaMetrics); endpoints without it
   * (Mimir behind a path prefix, some proxies) get `vector(1)` instead. A probe is never retried.
   */
  async ready(timeoutMs = this.timeoutMs): Promise<number> {
    const started = performance.now();
    let ok = false;
    const probe = async (): Promise<void> => {
      const res = await this.send({ method: 'GET', url: '-/ready' }, timeoutMs);
      if (res.status < 200 || res.status >= 300) {
        const form = new URLSearchParams({ query: fn('vector', num(1)) });
        const answer = await this.send({ method: 'POST', url: 'api/v1/query', data: form }, timeoutMs);
        unwrapEnvelope(this.cluster, this.timeoutMs, answer.status, answer.data);
      }
    };
    try {
      await (this.options.circuit ? this.options.circuit.probe(probe) : probe());
      ok = true;
      return performance.now() - started;
    } finally {
      this.report('ready', undefined, started, ok, 1);
    }
  }

  /** The circuit's state; CLOSED for a client without a breaker. */
  get circuitState(): 'CLOSED' | 'OPEN' | 'HALF_OPEN' {
    return this.options.circuit?.state ?? 'CLOSED';
  }

  /** Closes the kept-alive sockets; the client is unusable afterwards. */
  close(): void {
    for (const agent of this.agents) agent.destroy();
  }

  private async request(
    endpoint: PrometheusEndpoint,
    query: string | undefined,
    timeoutMs: number,
    config: AxiosRequestConfig,
  ): Promise<unknown> {
    const started = performance.now();
    let attempts = 0;
    let bytes = 0;
    let ok = false;
    const cancel = currentUpstreamSignal();
    // Retries inside the breaker: one logical request is one outcome for the circuit, whatever its attempts.
    const attempt = () =>
      this.policy.execute(async () => {
        attempts++;
        const res = await this.send(config, timeoutMs, cancel);
        bytes += res.bytes;
        return unwrapEnvelope(this.cluster, this.timeoutMs, res.status, res.data);
      }, cancel);
    try {
      const data = await (this.options.circuit ? this.options.circuit.run(attempt) : attempt());
      ok = true;
      return data;
    } catch (e) {
      // cockatiel rejects with its own TaskCancelledError when the caller's signal fires between attempts.
      if (cancel?.aborted && !(e instanceof PrometheusCancelledError))
        throw new PrometheusCancelledError(this.cluster);
      throw e;
    } finally {
      this.report(endpoint, query, started, ok, attempts, bytes);
    }
  }

  /** One HTTP exchange with a hard deadline; transport failures become typed errors. */
  private async send(
    config: AxiosRequestConfig,
    timeoutMs: number,
    cancel: AbortSignal | undefined = currentUpstreamSignal(),
  ): Promise<{ status: number; data: unknown; bytes: number }> {
    // `timeout` alone only bounds socket inactivity; the signal bounds the whole exchange. The caller's signal (its
    // GraphQL field timed out) aborts too, so the socket is released instead of waiting for an answer nobody reads.
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = cancel ? AbortSignal.any([deadline, cancel]) : deadline;
    try {
      const res = await this.http.request<string>({ ...config, timeout: timeoutMs, signal });
      const bytes = typeof res.data === 'string' ? Buffer.byteLength(res.data) : 0;
      return { status: res.status, data: res.data, bytes };
    } catch (e) {
      if (cancel?.aborted && !deadline.aborted) throw new PrometheusCancelledError(this.cluster);
      if (deadline.aborted || (isAxiosError(e) && (e.code === 'ECONNABORTED' || e.code === 'ETIMEDOUT'))) {
        throw new PrometheusTimeoutError(this.cluster, timeoutMs);
      }
      if (isAxiosError(e) && e.code === 'ERR_BAD_RESPONSE' && /maxContentLength/.test(e.message)) {
        throw new PrometheusResponseTooLargeError(this.cluster, this.maxResponseBytes);
      }
      const reason = isAxiosError(e) ? (e.code ?? e.message) : String(e);
      throw mark(
        new PrometheusUnavailableError(
          this.cluster,
          reason,
          isAxiosError(e) && e.code ? e.code : 'network error',
        ),
      );
    }
  }

  private decode<T>(decoder: (data: unknown) => T, data: unknown): T {
    try {
      return decoder(data);
    } catch (e) {
      if (e instanceof MalformedResponse)
        throw new PrometheusQueryError(this.cluster, 'bad_response', e.message);
      throw e;
    }
  }

  private report(
    endpoint: PrometheusEndpoint,
    query: string | undefined,
    started: number,
    ok: boolean,
    attempts: number,
    responseBytes = 0,
  ): void {
    this.options.onRequest?.({
      cluster: this.cluster,
      endpoint,
      query,
      durationSeconds: (performance.now() - started) / 1000,
      outcome: ok ? 'ok' : 'error',
      attempts,
      responseBytes,
    });
  }
}

const unixSeconds = (d: Date): string => (d.getTime() / 1000).toFixed(3);
