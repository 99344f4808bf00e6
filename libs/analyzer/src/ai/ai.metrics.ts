import { makeCounterProvider, makeGaugeProvider, makeHistogramProvider } from '@willsoto/nestjs-prometheus';
import { LATENCY_BUCKETS_SECONDS } from '@kcloud/common';
import { GPU_LABELS } from '../export/score-metrics.providers';

export const AI_REQUESTS = 'kcloud_analyzer_ai_requests_total';
export const AI_SKIPPED = 'kcloud_analyzer_ai_skipped_total';
export const AI_REQUEST_DURATION = 'kcloud_analyzer_ai_request_duration_seconds';
/** The seed's names; labelled like the per-GPU score gauges (plus the model's status on the confidence). */
export const AI_CONFIDENCE = 'gpu_ai_analysis_confidence';
export const AI_ADJUSTED_SCORE = 'gpu_ai_adjusted_score';

/** Outcomes of one request: ok, low_confidence (answered, not shown), or why it brought nothing. */
export type AiRequestOutcome =
  | 'ok'
  | 'low_confidence'
  | 'invalid_answer'
  | 'timeout'
  | 'http_error'
  | 'network_error'
  | 'rejected';

export const aiMetricProviders = [
  makeCounterProvider({
    name: AI_REQUESTS,
    help: 'AI second-opinion requests by outcome (ok, low_confidence, invalid_answer, timeout, http_error, …)',
    labelNames: ['outcome'],
  }),
  makeCounterProvider({
    name: AI_SKIPPED,
    help:
      'GPUs due a second opinion that were not asked: cached (state unchanged), cap (per-cycle limit), probing ' +
      '(the endpoint failed the last pass: one probe request per pass until it answers)',
    labelNames: ['reason'],
  }),
  makeHistogramProvider({
    name: AI_REQUEST_DURATION,
    help: 'Duration of AI second-opinion requests in seconds, whatever their outcome',
    buckets: [...LATENCY_BUCKETS_SECONDS],
  }),
  makeGaugeProvider({
    name: AI_CONFIDENCE,
    help: 'Confidence 0–1 of the AI second opinion, by the status it gives (ai_status); rule status in `status`',
    labelNames: [...GPU_LABELS, 'ai_status'],
  }),
  makeGaugeProvider({
    name: AI_ADJUSTED_SCORE,
    help: 'Utilisation score 0–100 the AI second opinion gives (the rule-based score is gpu_utilization_score)',
    labelNames: [...GPU_LABELS],
  }),
];
