import type { LookupFunction } from 'node:net';
import type { ClusterConfig } from '@kcloud/common';
import type { ClusterCircuit } from './cluster-circuit';

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
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
