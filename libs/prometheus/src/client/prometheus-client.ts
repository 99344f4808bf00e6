import * as http from 'node:http';
import * as https from 'node:https';
import axios, { type AxiosInstance, type AxiosRequestConfig, isAxiosError } from 'axios';
import { ExponentialBackoff, handleWhen, retry, type RetryPolicy } from 'cockatiel';
import type { LookupFunction } from 'node:net';
import { badInput, type ClusterConfig, currentUpstreamSignal } from '@kcloud/common';
import { assertLabelName, type Matcher } from '../promql/matchers';
import { fn, num, type PromQL, seriesSelector } from '../promql/expr';
import {
  decodeInstant,
  decodeRange,
  decodeStrings,
  type InstantSample,
  MalformedResponse,
  type RangeSeries,
} from './api-response';
import type { ClusterCircuit } from './cluster-circuit';
import {
  PrometheusCancelledError,
  PrometheusQueryError,
  PrometheusResponseTooLargeError,
  PrometheusTimeoutError,
  PrometheusUnavailableError,
} from './prometheus-errors';

export type PrometheusEndpoint = 'query' | 'query_range' | 'labels' | 'ready';

/** One logical request (retries included), reported once it settles: feeds the duration histogram and tests. */
export interface PrometheusRequestEvent {
  readonly cluster: string;
  readonly endpoint: PrometheusEndpoint;
  readonly query?: string;
  readonly durationSeconds: number;
  readonly outcome: 'ok' | 'error';
  /** HTTP attempts made (1 + retries). */
  readonly attempts: number;
  /** Body bytes read over all attempts (after decompression). */
  readonly responseBytes: number;
}

export interface PrometheusClientOptions {
  readonly cluster: ClusterConfig;
  /** Per-request budget; the cluster's own `timeoutMs` wins over this default. */
  readonly timeoutMs: number;
  /** Retries after the first attempt, for network errors and 5xx only. */
  readonly retries: number;
  /** gzip answers; the cluster's own `compression` wins over this default (false when neither says). */
  readonly compression?: boolean;
  readonly backoff?: { readonly initialDelayMs: number; readonly maxDelayMs: number };
  /** Largest answer read (bytes after decompression); a bigger one fails as UPSTREAM_ERROR. Default 64 MiB. */
  readonly maxResponseBytes?: number;
  /** Host name resolution for the sockets, e.g. one that refuses loopback/metadata addresses (run-time clusters). */
  readonly lookup?: LookupFunction;
  readonly onRequest?: (event: PrometheusRequestEvent) => void;
  /** The cluster's circuit breaker: every logical request (its retries inside) and every probe go through it. */
  readonly circuit?: ClusterCircuit;
}

export interface InstantOptions {
  readonly time?: Date;
  readonly timeoutMs?: number;
}

export interface RangeOptions {
  readonly start: Date;
  readonly end: Date;
  readonly stepSeconds: number;
  readonly timeoutMs?: number;
}

/** Prometheus refuses ranges above this many points per series; we say so before asking. */
export const MAX_POINTS_PER_SERIES = 11_000;
const DEFAULT_BACKOFF = { initialDelayMs: 100, maxDelayMs: 2_000 };
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
// Marks failures worth another attempt; kept off the public error classes.
const retryable = new WeakSet<Error>();

interface ApiEnvelope {
  readonly status?: unknown;
  readonly data?: unknown;
  readonly errorType?: unknown;
  readonly error?: unknown;
}

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
    this.policy = retry(
      handleWhen((e) => retryable.has(e)),
      {
        maxAttempts: options.retries,
        backoff: new ExponentialBackoff({
          initialDelay: backoff.initialDelayMs,
          maxDelay: backoff.maxDelayMs,
        }),
      },
    );
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
        this.unwrap(answer.status, answer.data);
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
        return this.unwrap(res.status, res.data);
      }, cancel);
    try {
      const data = await (this.options.circuit ? this.options.circuit.run(attempt) : attempt());
      ok = true;
      return data;
    } catch (e) {
      // cockatiel rejects with its own TaskCancelledError when the caller's signal fires between attempts.
      if (cancel?.aborted && !(e instanceof PrometheusCancelledError)) throw new PrometheusCancelledError(this.cluster);
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
      throw mark(new PrometheusUnavailableError(this.cluster, reason, isAxiosError(e) && e.code ? e.code : 'network error'));
    }
  }

  /** Status code + body → `data`, or the typed error (retryable for 5xx, except Prometheus' own query timeout). */
  private unwrap(status: number, body: unknown): unknown {
    const envelope = parseEnvelope(body);
    if (status >= 200 && status < 300 && envelope?.status === 'success') return envelope.data;
    const errorType = typeof envelope?.errorType === 'string' ? envelope.errorType : `http_${status}`;
    const error = typeof envelope?.error === 'string' ? envelope.error : `HTTP ${status}`;
    if (errorType === 'timeout') throw new PrometheusTimeoutError(this.cluster, this.timeoutMs);
    if (status >= 300 && status < 400)
      throw new PrometheusQueryError(this.cluster, 'redirect', `HTTP ${status}: redirects are not followed`);
    if (status >= 500) throw mark(new PrometheusUnavailableError(this.cluster, `${error} (${errorType})`, `HTTP ${status}`));
    if (status >= 200 && status < 300 && !envelope)
      throw new PrometheusQueryError(this.cluster, 'bad_response', 'the answer is not Prometheus API JSON');
    throw new PrometheusQueryError(this.cluster, errorType, error);
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

function authConfig(cluster: ClusterConfig): Pick<AxiosRequestConfig, 'auth'> {
  const auth = cluster.auth;
  return auth?.type === 'basic'
    ? { auth: { username: auth.username ?? '', password: auth.password ?? '' } }
    : {};
}

function authHeaders(cluster: ClusterConfig): Record<string, string> {
  const auth = cluster.auth;
  return auth?.type === 'bearer' ? { Authorization: `Bearer ${auth.token ?? ''}` } : {};
}

function parseEnvelope(body: unknown): ApiEnvelope | undefined {
  if (typeof body !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null ? (parsed as ApiEnvelope) : undefined;
  } catch {
    return undefined;
  }
}

const unixSeconds = (d: Date): string => (d.getTime() / 1000).toFixed(3);

function mark<E extends Error>(error: E): E {
  retryable.add(error);
  return error;
}
