import { GpuScoreAiFieldResolver } from './ai-analysis.resolver';
import { AiAnalyzer } from './ai-analyzer.service';
import { AiMetricsExporter } from './ai-metrics.exporter';
import { aiMetricProviders } from './ai.metrics';
import { ChatCompletionsClient } from './chat-completions.client';

/** Everything the AI second opinion adds to AnalyzerModule. */
export const aiProviders = [
  ChatCompletionsClient,
  AiAnalyzer,
  AiMetricsExporter,
  GpuScoreAiFieldResolver,
  ...aiMetricProviders,
];
