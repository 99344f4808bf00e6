import { makeCounterProvider, makeHistogramProvider } from '@willsoto/nestjs-prometheus';
import { LATENCY_BUCKETS_SECONDS } from '@kcloud/common';

export const ANALYSIS_TOTAL = 'gpu_analysis_total';
export const ANALYSIS_ERRORS = 'gpu_analysis_errors_total';
export const ANALYSIS_DURATION = 'gpu_analysis_duration_seconds';
export const ANALYSIS_SKIPPED = 'gpu_analysis_skipped_total';

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
];
