import { IsUrl, Matches, ValidateIf } from 'class-validator';
import { HTTP_URL } from './env-parsers';
import { BoolEnv, IntEnv, NumberEnv, StringEnv } from './env-decorators';

/** The analyzer's AI second opinion (seed 002): an OpenAI-compatible chat-completions endpoint; never changes a status. */
export class AnalyzerAiEnv {
  /** Asks the model after every cycle about idle, low and near-threshold GPUs; triggerAnalysis(useAi) works without. */
  @BoolEnv() ANALYZER_AI_ENABLED = false;

  /** Base URL (`…/v1`: POST {url}/chat/completions), or the full URL ending in /chat/completions. */
  @ValidateIf((e: AnalyzerAiEnv) => e.ANALYZER_AI_ENABLED || e.ANALYZER_AI_API_URL !== undefined)
  @IsUrl(HTTP_URL, {
    message: 'ANALYZER_AI_API_URL must be an http(s) URL (required when ANALYZER_AI_ENABLED=true)',
  })
  ANALYZER_AI_API_URL?: string;

  @StringEnv()
  @Matches(/^[^\s]{1,200}$/, { message: 'ANALYZER_AI_MODEL must be a model name without spaces' })
  ANALYZER_AI_MODEL = 'gpt-4o-mini';

  /** Sent as `Authorization: Bearer …`; optional (a local vLLM or Ollama needs none). Never logged. */
  @StringEnv({ optional: true }) ANALYZER_AI_API_KEY?: string;

  /** Answers less confident than this (0–1) are counted and not shown. */
  @NumberEnv({ min: 0, max: 1 }) ANALYZER_AI_THRESHOLD = 0.7;

  /** Besides idle and low GPUs, those whose score is within this many points of a threshold are asked about. */
  @NumberEnv({ min: 0, max: 50 }) ANALYZER_AI_NEAR_THRESHOLD_POINTS = 5;

  @IntEnv({ min: 1, max: 64 }) ANALYZER_AI_CONCURRENCY = 2;

  /** Per request; a slower answer is abandoned (counted as a timeout). */
  @IntEnv({ min: 100, max: 300_000 }) ANALYZER_AI_TIMEOUT_MS = 20_000;

  /** Cost cap: requests per cycle at most; GPUs whose answer is cached do not count. */
  @IntEnv({ min: 0, max: 10_000 }) ANALYZER_AI_MAX_GPUS_PER_CYCLE = 20;

  /** An answer is reused while the GPU's state (status, bucketed inputs, pods) stays the same, at most this long. */
  @IntEnv({ min: 0, max: 604_800 }) ANALYZER_AI_CACHE_TTL_SECONDS = 3600;
}
