import { Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Gauge } from 'prom-client';
import { LeaderLock } from '@kcloud/realtime';
import { ScoreStore } from '../cycle/score-store';
import { gpuLabels } from '../export/score-metrics.exporter';
import { attribute } from '../scoring/records';
import { AiAnalyzer } from './ai-analyzer.service';
import { AI_ADJUSTED_SCORE, AI_CONFIDENCE } from './ai.metrics';

/**
 * The seed's AI gauges, rebuilt at each scrape from the answers that stand for the GPUs' current states (a handful,
 * so no version bookkeeping: an answer whose TTL ran out disappears at the next scrape). One series per pod holding the
 * GPU, labelled like gpu_utilization_score. Only the replica that runs the cycles (and the passes) exports them.
 */
@Injectable()
export class AiMetricsExporter {
  constructor(
    ai: AiAnalyzer,
    store: ScoreStore,
    lock: LeaderLock,
    @InjectMetric(AI_CONFIDENCE) confidence: Gauge<string>,
    @InjectMetric(AI_ADJUSTED_SCORE) adjusted: Gauge<string>,
  ) {
    const fill = (): void => {
      confidence.reset();
      adjusted.reset();
      if (!lock.isLeader()) return;
      for (const key of ai.analysedKeys()) {
        const record = store.get(key);
        const analysis = record && ai.analysisOf(key);
        if (!record || !analysis) continue;
        for (const row of attribute(record)) {
          const labels = gpuLabels(row);
          confidence.set({ ...labels, ai_status: analysis.status }, analysis.confidence);
          adjusted.set(labels, analysis.adjustedScore);
        }
      }
    };
    // Rebound here (as ScoreMetricsExporter does), so the gauges read the live app even when prom-client's default
    // registry kept them from an earlier app in the same process. Both gauges are filled by the first one scraped.
    for (const gauge of [confidence, adjusted]) (gauge as unknown as { collect: () => void }).collect = fill;
  }
}
