// The score-history capability (the analyzer's exported gpu_utilization_score over time): port, token, adapters,
// fake. Registered by MetricsSourceModule.
export {
  SCORE_HISTORY_SOURCE,
  type ScoreAtStep,
  type ScoreHistory,
  type ScoreHistoryFilter,
  type ScoreHistorySource,
} from './score-history.port';
export { PrometheusScoreHistory } from './score-history.prometheus';
export { SimulatedScoreHistory } from './score-history.simulated';
export { FakeScoreHistory } from './testing/fake-score-history';
