import type { SeriesRange } from '../../gpu-series/gpu-series.port';
import type { ScoreHistory, ScoreHistoryFilter, ScoreHistorySource } from '../score-history.port';

/** A ScoreHistorySource over a fixed answer that records every read (service specs). */
export class FakeScoreHistory implements ScoreHistorySource {
  readonly calls: { filter: ScoreHistoryFilter; range: SeriesRange }[] = [];

  constructor(private readonly answer: ScoreHistory = { byKey: new Map(), failures: [] }) {}

  scoreHistory(filter: ScoreHistoryFilter, range: SeriesRange): Promise<ScoreHistory> {
    this.calls.push({ filter, range });
    const byKey = new Map([...this.answer.byKey].filter(([id]) => filter.gpuIds.includes(id)));
    return Promise.resolve({ byKey, failures: this.answer.failures });
  }
}
