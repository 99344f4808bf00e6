import type { ScoreHistory, ScoreHistorySource } from './score-history.port';

/**
 * The simulated fleet keeps no score history: the analyzer's scores live in its process and no Prometheus scrapes
 * them, so every GPU's score and status points are null (as for a Prometheus that never scraped the API).
 */
export class SimulatedScoreHistory implements ScoreHistorySource {
  scoreHistory(): Promise<ScoreHistory> {
    return Promise.resolve({ byKey: new Map(), failures: [] });
  }
}
