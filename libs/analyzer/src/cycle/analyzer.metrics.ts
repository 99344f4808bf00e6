import { makeCounterProvider, makeGaugeProvider, makeHistogramProvider } from '@willsoto/nestjs-prometheus';
import { LATENCY_BUCKETS_SECONDS } from '@kcloud/common';

export const ANALYSIS_TOTAL = 'gpu_analysis_total';
export const ANALYSIS_ERRORS = 'gpu_analysis_errors_total';
export const ANALYSIS_DURATION = 'gpu_analysis_duration_seconds';
export const ANALYSIS_SKIPPED = 'gpu_analysis_skipped_total';
export const ANALYZER_LEADER = 'kcloud_analyzer_leader';
export const ANALYZER_LAST_SUCCESS = 'kcloud_analyzer_last_success_timestamp_seconds';

/** Per cycle: a count, an error count (a failed cluster counts), a duration, and the scheduled ticks skipped. */
export const analysisMetricProviders = [
  makeCounterProvider({ name: ANALYSIS_TOTAL, help: 'Analysis cycles run' }),
  makeCounterProvider({ name: ANALYSIS_ERRORS, help: 'Analysis cycles that failed or lost a cluster' }),
  makeHistogramProvider({
    name: ANALYSIS_DURATION,
    help: 'Duration of analysis cycles in seconds',
    buckets: [...LATENCY_BUCKETS_SECONDS],
  }),
  makeCounterProvider({
    name: ANALYSIS_SKIPPED,
    help: 'Scheduled cycles skipped because the previous one was still running',
  }),
  // For the alert rules: which replica runs the scheduled cycles, and when one last completed (0: never here).
  makeGaugeProvider({ name: ANALYZER_LEADER, help: '1 while this replica holds the analyzer leader lock' }),
  makeGaugeProvider({
    name: ANALYZER_LAST_SUCCESS,
    help: 'Unix time of the last scheduled analysis cycle on this replica that completed without error',
  }),
];
